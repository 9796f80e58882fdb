// One HTTP connection pool per host for every CalDAV request of the process. A worker checks thousands of
// integrations on a handful of iCloud partition hosts: keep-alive connections are reused across integrations and
// ticks (a TLS handshake costs more than the sync-collection it carries), and the pool bounds the sockets per host
// (CALDAV_CONNECTIONS_PER_HOST); requests beyond them queue on the pool instead of opening more.
import { Agent } from 'undici'

/** Idle keep-alive sockets stay open this long, so the next tick (default 30 s) finds them warm. */
const KEEP_ALIVE_MS = 60_000

const agents = new Map<number, Agent>()

export function hostDispatcher(connectionsPerHost: number): Agent {
  let agent = agents.get(connectionsPerHost)
  if (!agent) {
    agent = new Agent({
      connections: connectionsPerHost,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      // The request's own timer (TransportOptions.timeoutMs) bounds the exchange; these must not cut it shorter.
      headersTimeout: 0,
      bodyTimeout: 0,
    })
    agents.set(connectionsPerHost, agent)
  }
  return agent
}
