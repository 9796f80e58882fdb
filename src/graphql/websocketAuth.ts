// graphql-ws authentication at connection_init: no valid token → close 4401 (graphql-ws clients do not retry it);
// a database failure while checking → close 1011 (retried); the connection closes with 4403 when its token expires.
// Each operation still authenticates again (context per operation), so a user removed meanwhile is refused at once.
import type { WebSocket } from 'ws'
import type { Context } from 'graphql-ws'
import type { Services } from '../app/services.ts'
import { authenticate } from '../auth/authenticate.ts'
import { atTime } from './tokenExpiry.ts'

const CLOSE_UNAUTHORIZED = 4401
const CLOSE_TOKEN_EXPIRED = 4403

type SocketContext = Context<Record<string, unknown> | undefined, { socket: WebSocket }>

export function authenticateConnection(services: Services) {
  return async (ctx: SocketContext): Promise<boolean> => {
    const { socket } = ctx.extra
    const authorization = ctx.connectionParams?.authorization
    let principal
    try {
      principal = await authenticate(services, typeof authorization === 'string' ? authorization : null)
    } catch (error) {
      services.logger.warn({ err: error }, 'WebSocket authentication failed')
      socket.close(1011, 'Try again later')
      return false
    }
    if (!principal) {
      socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized: a valid bearer token is required')
      return false
    }
    if (principal.expiresAt) {
      const cancel = atTime(principal.expiresAt, () => socket.close(CLOSE_TOKEN_EXPIRED, 'Forbidden: token expired'))
      socket.once('close', cancel)
    }
    return true
  }
}
