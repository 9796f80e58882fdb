// One HTTP port: GraphQL over HTTP and SSE (Yoga), graphql-ws on the same path, and health probes.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GraphQLError } from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer } from 'ws'
import type { Services } from './app/services.ts'
import type { YogaApp } from './graphql/yoga.ts'

export interface HttpServer {
  server: Server
  listen(port: number, host: string): Promise<AddressInfo>
  close(): Promise<void>
}

async function databaseIsReady(services: Services): Promise<boolean> {
  try {
    await services.prisma.$queryRaw`SELECT 1`
    return true
  } catch {
    return false
  }
}

export function createHttpServer(services: Services, yoga: YogaApp): HttpServer {
  const server = createServer((req, res) => {
    const finished = services.metrics.startHttpRequest(req.method ?? 'GET', req.url ?? '/')
    res.once('finish', () => finished(res.statusCode))
    if (req.url === '/metrics') {
      void services.metrics.render().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        () => res.writeHead(503).end(),
      )
      return
    }
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
      return
    }
    if (req.url === '/readyz') {
      void databaseIsReady(services).then((ready) => {
        res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ status: ready ? 'ready' : 'database unavailable' }))
      })
      return
    }
    void yoga.requestListener(req, res)
  })

  const wsServer = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: services.config.maxRequestBytes,
  })
  // WebSocket operations go through the same envelop plugins, context and auth as HTTP ones.
  const wsHandle = useServer(
    {
      execute: (args) => (args.rootValue as { execute: (a: unknown) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: unknown) => unknown }).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        })
        let contextValue: unknown
        try {
          contextValue = await contextFactory()
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Unexpected error.')]
        }
        const document = parse(params.query)
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
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => resolve(server.address() as AddressInfo))
      }),
    close: async () => {
      await wsHandle.dispose()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
