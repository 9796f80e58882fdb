// Tiny loopback HTTP servers for behaviour no real CalDAV server here shows on demand (throttling, stalls, hosts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

interface SeenRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
}

export interface LocalServer {
  url: string
  seen: SeenRequest[]
  close(): Promise<void>
}

export type Handler = (req: SeenRequest, res: ServerResponse, raw: IncomingMessage) => unknown

export const startLocalServer = async (handler: Handler): Promise<LocalServer> => {
  const seen: SeenRequest[] = []
  const server: Server = createServer((raw, res) => {
    let body = ''
    raw.setEncoding('utf8')
    raw.on('data', (c: string) => (body += c))
    raw.on('end', () => {
      const req = { method: raw.method ?? '', path: raw.url ?? '', headers: raw.headers, body }
      seen.push(req)
      void handler(req, res, raw)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export const multistatus = (inner: string, extraNs = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<multistatus xmlns="DAV:"${extraNs}>${inner}</multistatus>`

export const sendXml = (res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8', ...headers })
  res.end(xml)
}
