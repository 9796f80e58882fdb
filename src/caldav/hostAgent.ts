// One HTTP connection pool per host for every CalDAV request of the process. A worker checks thousands of
// integrations on a handful of iCloud partition hosts: keep-alive connections are reused across integrations and
// ticks (a TLS handshake costs more than the sync-collection it carries), and the pool bounds the sockets per host.
import { Agent } from 'undici'

/** Sockets per host (origin); requests beyond them queue on the pool instead of opening more. */
export const CONNECTIONS_PER_HOST = 128
/** Idle keep-alive sockets stay open this long, so the next tick (default 30 s) finds them warm. */
const KEEP_ALIVE_MS = 60_000

let agent: Agent | null = null

export function hostDispatcher(): Agent {
  agent ??= new Agent({
    connections: CONNECTIONS_PER_HOST,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
    // The request's own timer (TransportOptions.timeoutMs) bounds the exchange; these only must not cut it shorter.
    headersTimeout: 0,
    bodyTimeout: 0,
  })
  return agent
}
