// One HTTP port: GraphQL over HTTP and SSE (Yoga), graphql-ws on the same paths, health probes and the pages
// (src/web). Two GraphQL endpoints: /graphql (staff, bearer token) and /public/graphql (invitees, persisted
// documents only).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { GraphQLError } from 'graphql'
import type { SubscribePayload } from 'graphql-ws'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer } from 'ws'
import { checkReadiness } from './app/readiness.ts'
import type { Services } from './app/services.ts'
import type { PublicYogaApp } from './graphql/publicYoga.ts'
import type { YogaApp } from './graphql/yoga.ts'
import { createStaticPages } from './web/staticPages.ts'

/** The public path and how it admits WebSocket operations (see graphql/publicWebSocket.ts). */
export interface PublicApi {
  yoga: PublicYogaApp
  prepare: NonNullable<WebSocketEndpoint['prepare']>
}

export interface HttpServer {
  server: Server
  listen(port: number, host: string): Promise<AddressInfo>
  close(): Promise<void>
}

/** How one GraphQL endpoint takes WebSocket operations (graphql-ws). */
interface WebSocketEndpoint {
  yoga: YogaApp | PublicYogaApp
  /** The document to run, or errors to refuse the operation with (default: the text in `params.query`). */
  prepare?: (params: SubscribePayload, request: IncomingMessage) => Promise<string | readonly GraphQLError[]>
}

/** graphql-ws on one endpoint, through the same envelop plugins, context and auth as its HTTP requests. */
function serveWebSocket(services: Services, endpoint: WebSocketEndpoint) {
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: services.config.maxRequestBytes })
  const handle = useServer(
    {
      execute: (args) => (args.rootValue as { execute: (a: unknown) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: unknown) => unknown }).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const query = endpoint.prepare ? await endpoint.prepare(params, ctx.extra.request) : params.query
        if (typeof query !== 'string') return query
        const { schema, execute, subscribe, contextFactory, parse, validate } = endpoint.yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: { ...params, query },
        })
        let contextValue: unknown
        try {
          contextValue = await contextFactory()
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Unexpected error.')]
        }
        const document = parse(query)
        const errors = validate(schema, document)
        if (errors.length > 0) return errors
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe },
        }
      },
    },
    wsServer,
  )
  return {
    wsServer,
    dispose: async () => {
      await handle.dispose()
    },
  }
}

export function createHttpServer(services: Services, yoga: YogaApp, publicApi: PublicApi): HttpServer {
  const pages = createStaticPages({ crmOrigins: services.config.corsOrigins })
  const server = createServer((req, res) => {
    if (pages(req, res)) return
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
      return
    }
    if (req.url === '/readyz') {
      void checkReadiness(services).then(({ httpStatus, body }) => {
        res.writeHead(httpStatus, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      })
      return
    }
    if (pathOf(req.url) === publicApi.yoga.graphqlEndpoint) {
      void publicApi.yoga.requestListener(req, res)
      return
    }
    void yoga.requestListener(req, res)
  })

  const sockets = new Map([
    [yoga.graphqlEndpoint, serveWebSocket(services, { yoga })],
    [publicApi.yoga.graphqlEndpoint, serveWebSocket(services, { yoga: publicApi.yoga, prepare: publicApi.prepare })],
  ])
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const endpoint = sockets.get(pathOf(req.url))
    if (!endpoint) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n')
      return
    }
    endpoint.wsServer.handleUpgrade(req, socket, head, (ws) => endpoint.wsServer.emit('connection', ws, req))
  })

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => resolve(server.address() as AddressInfo))
      }),
    close: async () => {
      await Promise.all([...sockets.values()].map((endpoint) => endpoint.dispose()))
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

function pathOf(url: string | undefined): string {
  const query = (url ?? '/').indexOf('?')
  return query === -1 ? (url ?? '/') : (url ?? '/').slice(0, query)
}
