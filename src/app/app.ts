// Wires one process: database, secrets, pub/sub, the GraphQL server and the background workers.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { pino } from 'pino'
import { TokenService } from '../auth/tokens.ts'
import type { Config } from '../config.ts'
import { openDatabase, type Database } from '../db/database.ts'
import { createYogaApp } from '../graphql/yoga.ts'
import { loadPersistedDocuments } from '../graphql/persistedDocuments.ts'
import { createPublicYogaApp } from '../graphql/publicYoga.ts'
import { publicWebSocketAdmission } from '../graphql/publicWebSocket.ts'
import { createLogger } from '../logger.ts'
import { AppMetrics } from '../observability/metrics.ts'
import { LiveAvailabilityHub } from '../realtime/liveAvailability.ts'
import { createAppPubSub } from '../realtime/pubsub.ts'
import { shareHostPauses } from '../realtime/sharedHostPauses.ts'
import { hostThrottleOf } from '../integrations/icloud/caldavSession.ts'
import { CredentialCipher } from '../security/credentialCipher.ts'
import { loadSecrets } from '../security/secrets.ts'
import { createHttpServer, type HttpServer } from '../server.ts'
import { backgroundJobFactories, type BackgroundJob } from './backgroundJobs.ts'
import { integrationStatusHooks } from '../webhooks/hooks.ts'
import { crmEventHooks } from '../writeBack/crmEvents.ts'
import type { Services } from './services.ts'
import { shutDown } from './shutdown.ts'
import { BusyTimeCache } from '../scheduling/busyTimeCache.ts'
import { ManageTokenService } from '../publicBooking/manageTokens.ts'
import { PublicLimits } from '../publicBooking/rateLimits.ts'
import { DAY_MS } from '../time/zoneOffsets.ts'

export interface App {
  services: Services
  http: HttpServer
  /** Resolves with the bound address; port 0 picks a free port. */
  listen(): Promise<{ port: number; url: string }>
  /** Graceful stop; work in flight may finish until `deadline` (epoch ms, default SHUTDOWN_DRAIN_MS from now). */
  close(deadline?: number): Promise<void>
}

export interface CreateAppOptions {
  /** PostgreSQL schema to use (tests isolate each worker in its own). */
  databaseSchema?: string
  logDestination?: pino.DestinationStream
  /** See DatabaseTarget.pgliteTemplate. */
  pgliteTemplate?: Blob
  /** Start the cron-driven workers (sync, outbox). Tests drive them by hand. */
  startBackgroundJobs?: boolean
}

export async function createServices(
  config: Config,
  options: CreateAppOptions = {},
): Promise<{ services: Services; database: Database; closePubSub: () => Promise<void> }> {
  const logger = createLogger(config.logLevel, options.logDestination)
  const secrets = await loadSecrets(config)
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: options.databaseSchema,
    pgliteTemplate: options.pgliteTemplate,
  })
  const { pubsub, state: pubsubState, close: closePubSub, redis } = createAppPubSub(config.redisUrl, logger)
  const base = {
    config,
    prisma: database.prisma,
    databaseKind: database.kind,
    logger,
    pubsub,
    pubsubState,
    tokens: new TokenService(secrets.authSecret, config.auth),
    cipher: new CredentialCipher(secrets.encryptionKeys),
    instanceId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    busyTimeCache: new BusyTimeCache(config.availabilityCacheIntervals, config.availabilityCacheHorizonDays * DAY_MS),
    crmEvents: crmEventHooks,
    integrationEvents: integrationStatusHooks,
    manageTokens: new ManageTokenService(secrets.authSecret),
    publicLimits: new PublicLimits({ redisUrl: config.redisUrl, ...config.publicBooking }, logger),
  }
  const liveAvailability = new LiveAvailabilityHub(base)
  const hostThrottle = hostThrottleOf(base)
  const metrics = new AppMetrics({ prisma: base.prisma, liveAvailability, hostThrottle })
  const services: Services = Object.assign(base, { liveAvailability, metrics })
  // iCloud's Retry-After pauses a host for every process on this Redis; one process alone needs nothing more.
  const stopSharingPauses = redis ? shareHostPauses(redis, hostThrottle, logger) : () => {}
  const closeAll = async () => {
    stopSharingPauses()
    services.publicLimits.close()
    await closePubSub()
  }
  return { services, database, closePubSub: closeAll }
}

export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const { services, database, closePubSub } = await createServices(config, options)
  const documents = loadPersistedDocuments()
  const http = createHttpServer(services, createYogaApp(services), {
    yoga: createPublicYogaApp(services, documents),
    prepare: publicWebSocketAdmission(services, documents),
  })
  const jobs: BackgroundJob[] =
    options.startBackgroundJobs === false ? [] : backgroundJobFactories.map((factory) => factory(services))

  return {
    services,
    http,
    listen: async () => {
      const address = await http.listen(config.port, config.host)
      for (const job of jobs) job.start()
      const host = address.address.includes(':') ? `[${address.address}]` : address.address
      return { port: address.port, url: `http://${host}:${address.port}` }
    },
    close: (deadline = Date.now() + config.shutdownDrainMs) =>
      shutDown({ services, http, jobs, closePubSub, database }, deadline),
  }
}
