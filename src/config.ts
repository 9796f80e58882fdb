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
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'DATABASE_SCHEMA must be a lower-case PostgreSQL identifier')
    .optional(),
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
  ENCRYPTION_KEYS: z.string().optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().positive().default(86_400),
  AUTH_JWKS_CACHE_SECONDS: z.coerce.number().int().min(0).default(600),
  AUTH_JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(30),
  AUTH_PROVISIONING: z.enum(['jit', 'off']).optional(),
  AUTH_CLAIM_USER_ID: z.string().min(1).default('sub'),
  AUTH_CLAIM_SUBACCOUNT_ID: z.string().min(1).default('subaccount_id'),
  AUTH_CLAIM_EMAIL: z.string().min(1).default('email'),
  AUTH_CLAIM_NAME: z.string().min(1).default('name'),
  AUTH_CLAIM_ROLE: z.string().min(1).default('role'),
  AUTH_CLAIM_TIME_ZONE: z.string().min(1).default('zoneinfo'),
  AUTH_ADMIN_ROLES: z.string().default('admin'),
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
  WRITE_BACK_LEASE_SECONDS: z.coerce.number().int().min(10).default(120),
  SYNC_WINDOW_PAST_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  SYNC_WINDOW_FUTURE_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  SYNC_HISTORY_KEEP_RUNS: z.coerce.number().int().min(1).default(100),
  SYNC_HISTORY_FAILED_DAYS: z.coerce.number().int().min(0).default(30),
  BOOKING_RECHECK_TIMEOUT_MS: z.coerce.number().int().min(0).default(2_000),
  MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(100_000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  // 16 bytes an interval: the default holds ~32 MB of members' busy time (see scheduling/busyTimeCache.ts).
  AVAILABILITY_CACHE_INTERVALS: z.coerce.number().int().min(0).default(2_000_000),
  WEBHOOK_ALLOW_PRIVATE: boolean.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_RETRY_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 14)
    .default(24),
  WEBHOOK_DISABLE_AFTER_DAYS: z.coerce.number().min(0).max(365).default(5),
  PUBLIC_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(120),
  PUBLIC_RATE_LIMIT_PER_CALENDAR: z.coerce.number().int().min(1).default(600),
  PUBLIC_BOOKINGS_PER_IP: z.coerce.number().int().min(1).default(20),
  PUBLIC_SUBSCRIPTIONS_PER_IP: z.coerce.number().int().min(1).default(10),
  // "true" = one proxy (the usual load balancer); a number = that many proxies in front of the server.
  TRUST_PROXY: z
    .union([z.enum(['true', 'false']), z.coerce.number().int().min(0).max(10)])
    .default(0)
    .transform((value) => (value === 'true' ? 1 : value === 'false' ? 0 : value)),
  AVAILABILITY_CACHE_HORIZON_DAYS: z.coerce.number().int().min(1).max(3660).default(35),
})

export interface Config {
  env: 'development' | 'production' | 'test'
  host: string
  port: number
  dataDir: string
  databaseUrl: string | null
  /** PostgreSQL schema to use instead of the connection's default (several deployments or tests on one database). */
  databaseSchema: string | null
  /** Set from the environment, or generated into the data dir on first start (see secrets.ts). */
  authSecret: string | null
  encryptionKeys: string | null
  auth: AuthConfig
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
  /** How long a claimed outbox entry stays leased to one process (a killed worker's writes resume after it). */
  writeBackLeaseSeconds: number
  bookingRecheckTimeoutMs: number
  maxRequestBytes: number
  /** On SIGTERM, how long requests, syncs and outbox writes in flight may take to finish (force exit 5 s later). */
  shutdownDrainMs: number
  /** Busy intervals cached per process for availability (memory budget; 0 keeps nothing between requests). */
  availabilityCacheIntervals: number
  webhooks: {
    /** Accept endpoints on loopback and private addresses (tests, a CRM on the same network). */
    allowPrivate: boolean
    timeoutMs: number
    /** A delivery is retried for this long after its event. */
    retryHours: number
    /** An endpoint whose deliveries all failed for this long is disabled. */
    disableAfterDays: number
  }
  publicBooking: {
    requestsPerIpPerMinute: number
    requestsPerCalendarPerMinute: number
    bookingsPerIpPerHour: number
    subscriptionsPerIp: number
    /** How many proxies in front of the server may set X-Forwarded-For (0: use the socket address). */
    trustedProxies: number
  }
  /** How far ahead a member's busy time is read and cached on a miss (requests beyond it read that far). */
  availabilityCacheHorizonDays: number
}

/** How bearer tokens are verified and mapped to users (src/auth). */
export interface AuthConfig {
  /** The CRM identity provider's JSON Web Key Set (RS256, ES256, EdDSA tokens). */
  jwksUrl: string | null
  /** Required `iss`; tokens this server signs itself carry it too (default icloud-scheduling-api). */
  issuer: string | null
  audience: string | null
  clockSkewSeconds: number
  /** `exp` is required; `exp - iat` (or `exp - now` without `iat`) may not exceed this. */
  maxTokenLifetimeSeconds: number
  jwksCacheSeconds: number
  /** Least time between two JWKS fetches caused by an unknown `kid`. */
  jwksCooldownSeconds: number
  /** `jit` creates unknown users and subaccounts from a valid token; `off` refuses them. Default: jit in development. */
  provisioning: 'jit' | 'off'
  claims: ClaimNames
  /** Role claim values (case-insensitive) that make the user an admin of the subaccount. */
  adminRoles: string[]
}

/** Token claim that carries each field; a dotted name reads a nested claim when no claim has the exact name. */
export interface ClaimNames {
  userId: string
  subaccountId: string
  email: string
  name: string
  role: string
  timeZone: string
}

export class ConfigError extends Error {}

type Env = z.output<typeof configSchema>

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
    databaseSchema: e.DATABASE_SCHEMA ?? null,
    authSecret: e.AUTH_SECRET ?? null,
    encryptionKeys: e.ENCRYPTION_KEYS ?? null,
    auth: authConfig(e),
    icloudCaldavUrl: e.ICLOUD_CALDAV_URL,
    caldavTimeoutMs: e.CALDAV_TIMEOUT_MS,
    caldavConnectionsPerHost: e.CALDAV_CONNECTIONS_PER_HOST,
    redisUrl: e.REDIS_URL ?? null,
    corsOrigins: e.CORS_ORIGINS === '*' ? '*' : e.CORS_ORIGINS.split(',').map((origin) => origin.trim()),
    logLevel: e.LOG_LEVEL,
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    role: e.ROLE,
    sync: syncConfig(e),
    writeBackLeaseSeconds: e.WRITE_BACK_LEASE_SECONDS,
    bookingRecheckTimeoutMs: e.BOOKING_RECHECK_TIMEOUT_MS,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    availabilityCacheIntervals: e.AVAILABILITY_CACHE_INTERVALS,
    webhooks: {
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retryHours: e.WEBHOOK_RETRY_HOURS,
      disableAfterDays: e.WEBHOOK_DISABLE_AFTER_DAYS,
    },
    publicBooking: {
      requestsPerIpPerMinute: e.PUBLIC_RATE_LIMIT_PER_IP,
      requestsPerCalendarPerMinute: e.PUBLIC_RATE_LIMIT_PER_CALENDAR,
      bookingsPerIpPerHour: e.PUBLIC_BOOKINGS_PER_IP,
      subscriptionsPerIp: e.PUBLIC_SUBSCRIPTIONS_PER_IP,
      trustedProxies: e.TRUST_PROXY,
    },
    availabilityCacheHorizonDays: e.AVAILABILITY_CACHE_HORIZON_DAYS,
  }
}

/**
 * Whether this process runs in production, for the few module-level settings made before any Config exists (the
 * Pothos builder). Everything else takes it from Config.
 */
export const isProductionProcess = process.env.NODE_ENV === 'production'

function syncConfig(e: Env): Config['sync'] {
  return {
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
  }
}

function authConfig(e: Env): AuthConfig {
  if (e.AUTH_JWKS_URL && !e.AUTH_ISSUER) {
    // Keys of a shared identity provider sign tokens of many issuers and apps: name the one to trust.
    throw new ConfigError('Invalid configuration:\n  AUTH_ISSUER: required when AUTH_JWKS_URL is set')
  }
  return {
    jwksUrl: e.AUTH_JWKS_URL ?? null,
    issuer: e.AUTH_ISSUER ?? null,
    audience: e.AUTH_AUDIENCE ?? null,
    clockSkewSeconds: e.AUTH_CLOCK_SKEW_SECONDS,
    maxTokenLifetimeSeconds: e.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
    jwksCacheSeconds: e.AUTH_JWKS_CACHE_SECONDS,
    jwksCooldownSeconds: e.AUTH_JWKS_COOLDOWN_SECONDS,
    // Tests opt in, so that a token naming a subaccount its user is not in stays refused by default there.
    provisioning: e.AUTH_PROVISIONING ?? (e.NODE_ENV === 'development' ? 'jit' : 'off'),
    claims: {
      userId: e.AUTH_CLAIM_USER_ID,
      subaccountId: e.AUTH_CLAIM_SUBACCOUNT_ID,
      email: e.AUTH_CLAIM_EMAIL,
      name: e.AUTH_CLAIM_NAME,
      role: e.AUTH_CLAIM_ROLE,
      timeZone: e.AUTH_CLAIM_TIME_ZONE,
    },
    adminRoles: e.AUTH_ADMIN_ROLES.split(',')
      .map((role) => role.trim().toLowerCase())
      .filter(Boolean),
  }
}
