// One HTTP port: GraphQL over HTTP and SSE (Yoga), graphql-ws on the same path, and health probes.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { checkReadiness } from './app/readiness.ts'
import type { Services } from './app/services.ts'
import { attachGraphQLWebSocket } from './graphql/websocket.ts'
import type { YogaApp } from './graphql/yoga.ts'
import { createHttpDrain } from './httpDrain.ts'

export interface HttpServer {
  server: Server
  listen(port: number, host: string): Promise<AddressInfo>
  /** Drains: requests in flight may finish until `deadline` (epoch ms); see httpDrain.ts. */
  close(deadline?: number): Promise<void>
}

export function createHttpServer(services: Services, yoga: YogaApp): HttpServer {
  const server = createServer((req, res) => {
    drain.track(req, res)
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
      void checkReadiness(services).then(({ httpStatus, body }) => {
        res.writeHead(httpStatus, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      })
      return
    }
    void yoga.requestListener(req, res)
  })

  const drain = createHttpDrain(server)
  const wsHandle = attachGraphQLWebSocket(server, yoga, services.config.maxRequestBytes)

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
          await wsHandle.dispose()
        },
        terminate: () => wsHandle.terminate(),
      }),
  }
}
