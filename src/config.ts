// The one place that reads the environment. Everything else receives a parsed Config.
import { z } from 'zod'

const boolean = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1')

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
  ENCRYPTION_KEYS: z.string().optional(),
  ICLOUD_CALDAV_URL: z.url().default('https://caldav.icloud.com'),
  CALDAV_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  CALDAV_CONNECTIONS_PER_HOST: z.coerce.number().int().min(1).max(4096).default(256),
  REDIS_URL: z.string().optional(),
  CORS_ORIGINS: z.string().default('*'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHIQL: boolean.optional(),
  GRAPHQL_INTROSPECTION: boolean.optional(),
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  SYNC_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(200),
  SYNC_FULL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  SYNC_CALENDAR_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(3),
  SYNC_HOT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  SYNC_IDLE_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  SYNC_ATTENTION_MINUTES: z.coerce.number().int().min(0).max(1440).default(5),
  SYNC_LEASE_SECONDS: z.coerce.number().int().min(10).default(300),
  SYNC_WINDOW_PAST_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  SYNC_WINDOW_FUTURE_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  SYNC_HISTORY_KEEP_RUNS: z.coerce.number().int().min(1).default(100),
  SYNC_HISTORY_FAILED_DAYS: z.coerce.number().int().min(0).default(30),
  BOOKING_RECHECK_TIMEOUT_MS: z.coerce.number().int().min(0).default(2_000),
  MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(100_000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  // 16 bytes an interval: the default holds ~32 MB of members' busy time (see scheduling/busyTimeCache.ts).
  AVAILABILITY_CACHE_INTERVALS: z.coerce.number().int().min(0).default(2_000_000),
})

export type Env = z.input<typeof configSchema>

export interface Config {
  env: 'development' | 'production' | 'test'
  host: string
  port: number
  dataDir: string
  databaseUrl: string | null
  /** Set from the environment, or generated into the data dir on first start (see secrets.ts). */
  authSecret: string | null
  encryptionKeys: string | null
  icloudCaldavUrl: string
  caldavTimeoutMs: number
  /** Keep-alive sockets per CalDAV host (iCloud partition host), shared by every integration of the process. */
  caldavConnectionsPerHost: number
  redisUrl: string | null
  corsOrigins: string[] | '*'
  logLevel: string
  graphiql: boolean
  /** Schema introspection (`__schema`, `__type`); off by default in production. */
  introspection: boolean
  role: 'all' | 'api' | 'worker'
  sync: {
    intervalSeconds: number
    /** Integrations checked at once per process (I/O-bound: mostly waiting on iCloud). */
    concurrency: number
    /** Of those, runs that fetch and store changes at once (memory-bound: an initial sync holds write batches). */
    fullConcurrency: number
    /** Calendars of one integration synced at once. */
    calendarConcurrency: number
    /** Interval of integrations someone is looking at (attentionUntil in the future). */
    hotIntervalSeconds: number
    /** Idle integrations: the interval doubles per unchanged check, from intervalSeconds up to this. */
    idleMaxSeconds: number
    /** How long a look at a calendar (availability query, open subscription) keeps its members' integrations hot. */
    attentionMinutes: number
    leaseSeconds: number
    windowPastDays: number
    windowFutureDays: number
    /** SyncRun retention: the newest runs kept per integration, and how long failed runs are kept beyond them. */
    historyKeepRuns: number
    historyFailedDays: number
  }
  bookingRecheckTimeoutMs: number
  maxRequestBytes: number
  /** On SIGTERM, how long requests, syncs and outbox writes in flight may take to finish (force exit 5 s later). */
  shutdownDrainMs: number
  /** Busy intervals cached per process for availability (memory budget; 0 keeps nothing between requests). */
  availabilityCacheIntervals: number
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = parsed.data
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? null,
    authSecret: e.AUTH_SECRET ?? null,
    encryptionKeys: e.ENCRYPTION_KEYS ?? null,
    icloudCaldavUrl: e.ICLOUD_CALDAV_URL,
    caldavTimeoutMs: e.CALDAV_TIMEOUT_MS,
    caldavConnectionsPerHost: e.CALDAV_CONNECTIONS_PER_HOST,
    redisUrl: e.REDIS_URL ?? null,
    corsOrigins: e.CORS_ORIGINS === '*' ? '*' : e.CORS_ORIGINS.split(',').map((origin) => origin.trim()),
    logLevel: e.LOG_LEVEL,
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    role: e.ROLE,
    sync: {
      intervalSeconds: e.SYNC_INTERVAL_SECONDS,
      concurrency: e.SYNC_CONCURRENCY,
      fullConcurrency: e.SYNC_FULL_CONCURRENCY,
      calendarConcurrency: e.SYNC_CALENDAR_CONCURRENCY,
      hotIntervalSeconds: e.SYNC_HOT_INTERVAL_SECONDS,
      idleMaxSeconds: e.SYNC_IDLE_MAX_SECONDS,
      attentionMinutes: e.SYNC_ATTENTION_MINUTES,
      leaseSeconds: e.SYNC_LEASE_SECONDS,
      windowPastDays: e.SYNC_WINDOW_PAST_DAYS,
      windowFutureDays: e.SYNC_WINDOW_FUTURE_DAYS,
      historyKeepRuns: e.SYNC_HISTORY_KEEP_RUNS,
      historyFailedDays: e.SYNC_HISTORY_FAILED_DAYS,
    },
    bookingRecheckTimeoutMs: e.BOOKING_RECHECK_TIMEOUT_MS,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    availabilityCacheIntervals: e.AVAILABILITY_CACHE_INTERVALS,
  }
}

/**
 * Whether this process runs in production, for the few module-level settings made before any Config exists (the
 * Pothos builder). Everything else takes it from Config.
 */
export const isProductionProcess = process.env.NODE_ENV === 'production'
