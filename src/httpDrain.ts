// Graceful stop of the HTTP port (SIGTERM): stop accepting, close idle keep-alive sockets, let requests in flight
// finish until the deadline, end subscription streams (WebSockets get 1001 "Going away" from graphql-ws; SSE
// streams are closed, EventSource clients reconnect elsewhere), and only at the deadline cut what is left.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'

const IDLE_SWEEP_MS = 50

export interface HttpDrain {
  /** Call for every request: tracks what is in flight and asks clients to close once draining. */
  track(req: IncomingMessage, res: ServerResponse): void
  /** Resolves when every connection has ended, or at `deadline` (epoch ms) after cutting the rest. */
  drain(deadline: number, webSockets: WebSocketShutdown): Promise<void>
}

interface WebSocketShutdown {
  /** Close every WebSocket with 1001 and stop taking new ones. */
  close(): Promise<void>
  /** At the deadline: drop the ones whose close handshake has not finished. */
  terminate(): void
}

export function createHttpDrain(server: Server): HttpDrain {
  const inFlight = new Set<ServerResponse>()
  let draining = false

  const endEventStreams = () => {
    for (const res of inFlight)
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) res.socket?.destroy()
  }

  return {
    track(_req, res) {
      inFlight.add(res)
      res.once('close', () => inFlight.delete(res))
      if (draining) res.setHeader('connection', 'close')
    },
    async drain(deadline, webSockets) {
      draining = true
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      endEventStreams()
      // A socket whose request is answered becomes idle; sweep until none is left (Node closes idle ones only once).
      const sweep = setInterval(() => {
        server.closeIdleConnections()
        endEventStreams()
      }, IDLE_SWEEP_MS)
      server.closeIdleConnections()
      const remaining = () => Math.max(0, deadline - Date.now())
      await Promise.race([webSockets.close().catch(() => {}), delay(remaining())])
      const finished = await Promise.race([closed.then(() => true), delay(remaining()).then(() => false)])
      clearInterval(sweep)
      if (!finished) {
        server.closeAllConnections()
        webSockets.terminate()
        await Promise.race([closed, delay(1000)])
      }
    },
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
