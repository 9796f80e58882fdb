// The two ioredis connections behind Redis pub/sub, made to survive a Redis outage:
// - every client has an `error` listener, and an outage is logged once (JSON), not once per retry;
// - publishes while Redis is unreachable are BUFFERED in memory (the newest MAX_BUFFERED; older ones are dropped and
//   counted) and replayed in order when the publisher is ready again. Payloads only tell subscribers to re-read, so
//   a late or duplicated one is harmless, and a bounded buffer cannot exhaust memory;
// - SUBSCRIBE/UNSUBSCRIBE wait in ioredis's offline queue (no retry limit) and channels are re-subscribed on
//   reconnect (autoResubscribe), so subscriptions resume by themselves;
// - the promises @graphql-yoga/redis-event-target leaves floating are caught here: it gets these facades.
import { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'

const MAX_BUFFERED = 1000

export type RedisState = 'up' | 'down'

/** What @graphql-yoga/redis-event-target calls on its clients. */
export interface PubSubRedisClient {
  publish(channel: string, message: string): Promise<number>
  subscribe(channel: string): Promise<unknown>
  unsubscribe(channel: string): Promise<unknown>
  on(event: 'message', listener: (channel: string, message: string) => void): unknown
}

export interface ResilientRedis {
  publishClient: PubSubRedisClient
  subscribeClient: PubSubRedisClient
  state(): RedisState
  close(): void
}

export function createResilientRedis(redisUrl: string, logger: Logger): ResilientRedis {
  const log = logger.child({ component: 'redis' })
  // Without an offline queue a publish fails at once while Redis is down, and our buffer holds it instead.
  const publisher = watchOutages(
    new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
    'publish',
    log,
  )
  const subscriber = watchOutages(new Redis(redisUrl, { maxRetriesPerRequest: null }), 'subscribe', log)
  const buffer = new PublishBuffer(publisher, log)

  let closed = false
  const ignoreOnClose = (command: string) => (error: unknown) => {
    if (!closed) log.warn({ err: error, command }, 'redis command failed')
  }
  return {
    publishClient: {
      publish: (channel, message) => buffer.publish(channel, message),
      subscribe: () => Promise.reject(new Error('the publish client does not subscribe')),
      unsubscribe: () => Promise.reject(new Error('the publish client does not subscribe')),
      on: () => publisher,
    },
    subscribeClient: {
      publish: () => Promise.reject(new Error('the subscribe client does not publish')),
      subscribe: (channel) => subscriber.subscribe(channel).catch(ignoreOnClose('subscribe')),
      unsubscribe: (channel) => subscriber.unsubscribe(channel).catch(ignoreOnClose('unsubscribe')),
      on: (event, listener) => subscriber.on(event, listener),
    },
    state: () => (publisher.status === 'ready' && subscriber.status === 'ready' ? 'up' : 'down'),
    close: () => {
      closed = true
      publisher.disconnect()
      subscriber.disconnect()
    },
  }
}

/** Logs the first error of an outage and the reconnection, so a long outage is two lines, not thousands. */
function watchOutages(client: Redis, role: string, log: Logger): Redis {
  let down = false
  client.on('error', (error: Error) => {
    if (down) return
    down = true
    log.warn({ err: error, role }, 'redis unavailable; reconnecting in the background')
  })
  client.on('ready', () => {
    if (!down) return
    down = false
    log.info({ role }, 'redis reconnected')
  })
  return client
}

class PublishBuffer {
  private readonly pending: [channel: string, message: string][] = []
  private dropped = 0
  private buffering = false

  constructor(
    private readonly client: Redis,
    private readonly log: Logger,
  ) {
    client.on('ready', () => this.flush())
  }

  publish(channel: string, message: string): Promise<number> {
    if (this.client.status !== 'ready' || this.pending.length > 0) {
      this.hold(channel, message)
      return Promise.resolve(0)
    }
    return this.client.publish(channel, message).catch(() => {
      this.hold(channel, message)
      return 0
    })
  }

  private hold(channel: string, message: string) {
    if (!this.buffering) {
      this.buffering = true
      this.log.warn({ maxBuffered: MAX_BUFFERED }, 'redis unavailable: buffering publishes')
    }
    this.pending.push([channel, message])
    if (this.pending.length > MAX_BUFFERED) {
      this.pending.shift()
      this.dropped++
    }
  }

  private flush() {
    const replay = this.pending.splice(0)
    const dropped = this.dropped
    this.dropped = 0
    if (this.buffering) this.log.info({ replayed: replay.length, dropped }, 'redis back: replaying buffered publishes')
    this.buffering = false
    for (const [channel, message] of replay) void this.publish(channel, message)
  }
}
