// Typed pub/sub for subscriptions. In-process by default; with REDIS_URL, events cross every instance through Redis.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target'
import { createPubSub } from '@graphql-yoga/subscription'
import type { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'
import { createResilientRedis, type RedisState, type ResilientRedis } from './resilientRedis.ts'

/** Payloads carry ids and ISO strings only: subscribers re-read what they show from the database. */
export interface SyncStatusEvent {
  integrationId: string
  status: string
  syncRunId: string | null
  phase: 'STARTED' | 'FINISHED'
  outcome: string | null
  at: string
}

interface BlockedSlotsChangedEvent {
  userId: string
  /** The span of time in which slots were added, changed or removed (null: unknown, treat as everything). */
  from: string | null
  to: string | null
  at: string
}

interface AvailabilityChangedEvent {
  calendarId: string
  reason: string
  at: string
}

export type AppointmentChangeKind = 'BOOKED' | 'RESCHEDULED' | 'CANCELLED' | 'UPDATED_IN_ICLOUD' | 'REMOVED_IN_ICLOUD'

export interface AppointmentChangedEvent {
  appointmentId: string
  calendarId: string
  kind: AppointmentChangeKind
  at: string
}

export type PubSubTopics = {
  syncStatusChanged: [integrationId: string, payload: SyncStatusEvent]
  blockedSlotsChanged: [userId: string, payload: BlockedSlotsChangedEvent]
  availabilityChanged: [calendarId: string, payload: AvailabilityChangedEvent]
  /** Keyed `calendar:<id>` and `user:<id>` (one publication per key), see realtime/appointmentChanges.ts. */
  appointmentsChanged: [key: string, payload: AppointmentChangedEvent]
}

/** 'memory': no Redis configured (one process); otherwise whether Redis is reachable right now. */
export type PubSubState = 'memory' | RedisState

export function createAppPubSub(redisUrl: string | null, logger: Logger) {
  if (!redisUrl) {
    return {
      pubsub: createPubSub<PubSubTopics>(),
      state: (): PubSubState => 'memory',
      close: async () => {},
      redis: null,
    }
  }
  const redis = createResilientRedis(redisUrl, logger)
  // The event target calls only publish, subscribe, unsubscribe and on('message'), which the facades provide.
  const eventTarget = createRedisEventTarget({
    publishClient: redis.publishClient as unknown as Redis,
    subscribeClient: redis.subscribeClient as unknown as Redis,
  })
  return {
    pubsub: createPubSub<PubSubTopics>({ eventTarget }),
    state: (): PubSubState => redis.state(),
    close: async () => redis.close(),
    /** The connections themselves, for what crosses processes besides subscriptions (sharedHostPauses.ts). */
    redis: redis as ResilientRedis | null,
  }
}

export type AppPubSub = ReturnType<typeof createAppPubSub>['pubsub']
