// The two ioredis connections behind Redis pub/sub, made to survive a Redis outage:
// - every client has an `error` listener, and an outage is logged once (JSON), not once per retry;
// - publishes (and other fire-and-forget writes, see write()) while Redis is unreachable are BUFFERED in memory (the
//   newest MAX_BUFFERED; older ones are dropped and counted) and replayed in order when the publisher is ready again;
//   a write whose deadline has passed by then is dropped. Payloads only tell subscribers to re-read, so a late or
//   duplicated one is harmless, and a bounded buffer cannot exhaust memory. Redis delivers a publish only
//   to channels subscribed at that moment, so the replay waits REPLAY_DELAY_MS after the publisher is back: longer
//   than the capped reconnect backoff (RECONNECT_CAP_MS), by which time every instance's subscriber has reconnected
//   and re-subscribed;
// - SUBSCRIBE/UNSUBSCRIBE wait in ioredis's offline queue (no retry limit) and channels are re-subscribed on
//   reconnect (autoResubscribe), so subscriptions resume by themselves;
// - the promises @graphql-yoga/redis-event-target leaves floating are caught here: it gets these facades.
import { Redis, ReplyError } from 'ioredis'
import type { Logger } from '../logger.ts'

const MAX_BUFFERED = 1000
/** ioredis retries with a growing delay; capped so that every client is back within this long of Redis. */
const RECONNECT_CAP_MS = 1000
const REPLAY_DELAY_MS = 2 * RECONNECT_CAP_MS
const retryStrategy = (attempt: number) => Math.min(attempt * 100, RECONNECT_CAP_MS)

export type RedisState = 'up' | 'down'

/** What @graphql-yoga/redis-event-target calls on its clients. */
interface PubSubRedisClient {
  publish(channel: string, message: string): Promise<number>
  subscribe(channel: string): Promise<unknown>
  unsubscribe(channel: string): Promise<unknown>
  on(event: 'message', listener: (channel: string, message: string) => void): unknown
}

/** A command on the publish connection. */
type RedisCommand<T> = (client: Redis) => Promise<T>

export interface ResilientRedis {
  publishClient: PubSubRedisClient
  subscribeClient: PubSubRedisClient
  /**
   * A fire-and-forget write (e.g. a script that stores and publishes): sent at once while Redis is up, otherwise
   * buffered with the publishes and replayed in order, unless `deadline` (epoch ms) has passed by then.
   */
  write(command: RedisCommand<unknown>, deadline?: number): void
  /** A read on the publish connection; rejects at once while Redis is down. */
  read<T>(command: RedisCommand<T>): Promise<T>
  /** Called each time both connections are up, the first time included: the moment to re-read what an outage hid. */
  onUp(listener: () => void): void
  state(): RedisState
  close(): void
}

export function createResilientRedis(redisUrl: string, logger: Logger): ResilientRedis {
  const log = logger.child({ component: 'redis' })
  // Without an offline queue a publish fails at once while Redis is down, and our buffer holds it instead.
  const publisher = watchOutages(
    new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy }),
    'publish',
    log,
  )
  const subscriber = watchOutages(new Redis(redisUrl, { maxRetriesPerRequest: null, retryStrategy }), 'subscribe', log)
  const buffer = new PublishBuffer(publisher, log)
  const state = (): RedisState => (publisher.status === 'ready' && subscriber.status === 'ready' ? 'up' : 'down')
  const upListeners = new Set<() => void>()
  const whenUp = () => {
    if (state() === 'up') for (const listener of upListeners) listener()
  }
  publisher.on('ready', whenUp)
  subscriber.on('ready', whenUp)

  let closed = false
  const ignoreOnClose = (command: string) => (error: unknown) => {
    if (!closed) log.warn({ err: error, command }, 'redis command failed')
  }
  return {
    publishClient: {
      publish: (channel, message) => buffer.send((client) => client.publish(channel, message), 0),
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
    write: (command, deadline) => void buffer.send(command, undefined, deadline),
    read: (command) => command(publisher),
    onUp: (listener) => {
      upListeners.add(listener)
      if (state() === 'up') queueMicrotask(listener)
    },
    state,
    close: () => {
      closed = true
      upListeners.clear()
      buffer.cancel()
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

interface HeldWrite {
  command: RedisCommand<unknown>
  deadline: number | undefined
}

class PublishBuffer {
  private readonly pending: HeldWrite[] = []
  private dropped = 0
  private buffering = false
  private replayTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly client: Redis,
    private readonly log: Logger,
  ) {
    client.on('ready', () => this.scheduleReplay())
  }

  /** Stops a pending replay (on close). */
  cancel() {
    clearTimeout(this.replayTimer)
  }

  private scheduleReplay() {
    if (this.pending.length === 0) return
    clearTimeout(this.replayTimer)
    this.replayTimer = setTimeout(() => this.flush(), REPLAY_DELAY_MS)
    this.replayTimer.unref()
  }

  /** Runs the command now, or holds it (answering `whenHeld`) while Redis is down or earlier ones wait. */
  send<T>(command: RedisCommand<T>, whenHeld: T, deadline?: number): Promise<T> {
    if (this.client.status !== 'ready' || this.pending.length > 0) {
      this.hold({ command, deadline })
      return Promise.resolve(whenHeld)
    }
    return command(this.client).catch((error: unknown) => {
      // Redis answered and refused: sending it again would not help (and would hold up every later publish).
      if (error instanceof ReplyError) this.log.warn({ err: error }, 'redis refused a write')
      else this.hold({ command, deadline })
      return whenHeld
    })
  }

  private hold(write: HeldWrite) {
    if (!this.buffering) {
      this.buffering = true
      this.log.warn({ maxBuffered: MAX_BUFFERED }, 'redis unavailable: buffering publishes')
    }
    this.pending.push(write)
    if (this.pending.length > MAX_BUFFERED) {
      this.pending.shift()
      this.dropped++
    }
  }

  private flush() {
    if (this.client.status !== 'ready') return // down again: the next 'ready' schedules the replay
    const now = Date.now()
    const held = this.pending.splice(0)
    const replay = held.filter((write) => write.deadline === undefined || write.deadline > now)
    const { dropped } = this
    this.dropped = 0
    if (this.buffering) {
      const expired = held.length - replay.length
      this.log.info({ replayed: replay.length, dropped, expired }, 'redis back: replaying buffered publishes')
    }
    this.buffering = false
    for (const write of replay) void this.send(write.command, undefined, write.deadline)
  }
}
