// Abuse controls of the public path: request quotas per address, per calendar and for bookings (rate-limiter-flexible,
// in memory, or in Redis when REDIS_URL is set so that every instance counts together), and a cap on live public
// subscriptions per address (per process: a subscription is a connection to this process).
import { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import type { Logger } from '../logger.ts'
import { TooManyRequestsError } from './errors.ts'

export interface PublicLimitsConfig {
  redisUrl: string | null
  /** Public requests per address per minute (HTTP requests and subscription starts). */
  requestsPerIpPerMinute: number
  /** Public operations per calendar per minute, from all addresses together. */
  requestsPerCalendarPerMinute: number
  /** Bookings, reschedules and cancellations per address per hour. */
  bookingsPerIpPerHour: number
  /** Live public subscriptions one address may hold open at once. */
  subscriptionsPerIp: number
}

export type QuotaKind = 'ip' | 'calendar' | 'booking'

export class PublicLimits {
  private readonly limiters: Record<QuotaKind, RateLimiterAbstract>
  private readonly openSubscriptions = new Map<string, number>()
  private readonly redis: Redis | null

  constructor(
    private readonly config: PublicLimitsConfig,
    logger: Logger,
  ) {
    this.redis = config.redisUrl ? quotaRedisClient(config.redisUrl, logger) : null
    this.limiters = {
      ip: this.limiter('public-ip', config.requestsPerIpPerMinute, 60),
      calendar: this.limiter('public-calendar', config.requestsPerCalendarPerMinute, 60),
      booking: this.limiter('public-booking', config.bookingsPerIpPerHour, 3600),
    }
  }

  /** Takes one point from the quota; throws TooManyRequestsError (with the seconds to wait) when it is used up. */
  async consume(kind: QuotaKind, key: string): Promise<void> {
    try {
      await this.limiters[kind].consume(key)
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new TooManyRequestsError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)))
      }
      throw rejection
    }
  }

  /** Counts a live subscription of `ip`; call the returned function when it ends. */
  acquireSubscription(ip: string): () => void {
    const open = this.openSubscriptions.get(ip) ?? 0
    if (open >= this.config.subscriptionsPerIp) {
      throw new TooManyRequestsError(
        30,
        `At most ${this.config.subscriptionsPerIp} live availability subscriptions per address. Close one first.`,
      )
    }
    this.openSubscriptions.set(ip, open + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.openSubscriptions.get(ip) ?? 1) - 1
      if (left <= 0) this.openSubscriptions.delete(ip)
      else this.openSubscriptions.set(ip, left)
    }
  }

  close(): void {
    this.redis?.disconnect()
  }

  private limiter(keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration })
    if (!this.redis) return memory
    // During a Redis outage each process counts alone in memory (the insurance limiter) instead of failing requests.
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `rl:${keyPrefix}`,
      points,
      duration,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    })
  }
}

/** Fails fast while Redis is away (no offline queue), so a request never waits on it; reconnects by itself. */
function quotaRedisClient(redisUrl: string, logger: Logger): Redis {
  const client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 })
  let warned = false
  client.on('error', (error: Error) => {
    if (!warned) logger.warn({ err: error }, 'rate limits: Redis unavailable, counting in memory until it is back')
    warned = true
  })
  client.on('ready', () => {
    warned = false
  })
  return client
}
