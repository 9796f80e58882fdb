// One HTTP port: the pages (widget, settings), GraphQL over HTTP and SSE on the staff path (Yoga) and the public path,
// graphql-ws on each of the two paths, and health probes.
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { checkReadiness } from './app/readiness.ts'
import type { Services } from './app/services.ts'
import type { PublicYogaApp } from './graphql/publicYoga.ts'
import { createGraphQLWebSocket, type GraphQLWebSocketOptions } from './graphql/websocket.ts'
import { authenticateConnection } from './graphql/websocketAuth.ts'
import type { YogaApp } from './graphql/yoga.ts'
import { createHttpDrain } from './httpDrain.ts'
import { createStaticPages } from './web/staticPages.ts'

export interface HttpServer {
  server: Server
  listen(port: number, host: string): Promise<AddressInfo>
  /** Drains: requests in flight may finish until `deadline` (epoch ms); see httpDrain.ts. */
  close(deadline?: number): Promise<void>
}

/** The public path and how it admits WebSocket operations (see graphql/publicWebSocket.ts). */
export interface PublicApi {
  yoga: PublicYogaApp
  prepare: NonNullable<GraphQLWebSocketOptions['prepare']>
}

export function createHttpServer(services: Services, yoga: YogaApp, publicApi: PublicApi): HttpServer {
  const route = httpRoutes(services, yoga, publicApi)
  const server = createServer((req, res) => {
    drain.track(req, res)
    route(req, res)
  })
  const drain = createHttpDrain(server)
  const sockets = webSocketEndpoints(services, yoga, publicApi)
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const endpoint = sockets.get(pathOf(req.url))
    if (!endpoint) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n')
      return
    }
    endpoint.handleUpgrade(req, socket, head)
  })

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => resolve(server.address() as AddressInfo))
      }),
    close: (deadline = Date.now()) =>
      drain.drain(deadline, {
        close: async () => {
          await Promise.all([...sockets.values()].map((endpoint) => endpoint.dispose()))
        },
        terminate: () => sockets.forEach((endpoint) => endpoint.terminate()),
      }),
  }
}

/** Every HTTP request, counted: metrics, the pages, the health probes, then the public or the staff GraphQL path. */
function httpRoutes(services: Services, yoga: YogaApp, publicApi: PublicApi): RequestListener {
  const pages = createStaticPages({ crmOrigins: services.config.corsOrigins })
  return (req, res) => {
    const finished = services.metrics.startHttpRequest(req.method ?? 'GET', req.url ?? '/')
    res.once('finish', () => finished(res.statusCode))
    if (req.url === '/metrics') {
      void services.metrics.render().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        () => res.writeHead(503).end(),
      )
      return
    }
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
  }
}

/** graphql-ws by path: the staff path authenticates the connection, the public path admits each operation. */
function webSocketEndpoints(services: Services, yoga: YogaApp, publicApi: PublicApi) {
  const maxPayloadBytes = services.config.maxRequestBytes
  return new Map([
    [
      yoga.graphqlEndpoint,
      createGraphQLWebSocket(yoga, { maxPayloadBytes, onConnect: authenticateConnection(services) }),
    ],
    [
      publicApi.yoga.graphqlEndpoint,
      createGraphQLWebSocket(publicApi.yoga, { maxPayloadBytes, prepare: publicApi.prepare }),
    ],
  ])
}

function pathOf(url: string | undefined): string {
  const query = (url ?? '/').indexOf('?')
  return query === -1 ? (url ?? '/') : (url ?? '/').slice(0, query)
}
