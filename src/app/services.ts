// Everything a request, the sync engine or a script needs, built once per process (see createServices in app.ts).
import type { Config } from '../config.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import type { Logger } from '../logger.ts'
import type { AppPubSub, PubSubState } from '../realtime/pubsub.ts'
import type { TokenService } from '../auth/tokens.ts'
import type { AppMetrics } from '../observability/metrics.ts'
import type { LiveAvailabilityHub } from '../realtime/liveAvailability.ts'
import type { BusyTimeCache } from '../scheduling/busyTimeCache.ts'
import type { CredentialCipher } from '../security/credentialCipher.ts'
import type { CrmEventHooks, IntegrationStatusHooks } from '../sync/ports.ts'
import type { ManageTokenService } from '../publicBooking/manageTokens.ts'
import type { PublicLimits } from '../publicBooking/rateLimits.ts'

export interface Services {
  config: Config
  prisma: PrismaClient
  databaseKind: 'pglite' | 'postgres'
  logger: Logger
  pubsub: AppPubSub
  /** Whether cross-instance pub/sub works right now (for /readyz). */
  pubsubState(): PubSubState
  tokens: TokenService
  cipher: CredentialCipher
  /** A name unique to this process: the owner written into sync and outbox leases. */
  instanceId: string
  /** Members' busy time for availability, re-read only when their blocked slots changed. */
  busyTimeCache: BusyTimeCache
  /** The two-way sync of CRM appointments, plugged into the sync engine (which never imports src/writeBack). */
  crmEvents: CrmEventHooks
  /** Integration status changes reported as webhooks, plugged into the sync engine. */
  integrationEvents: IntegrationStatusHooks
  /** Signs and verifies invitees' manage tokens (public booking). */
  manageTokens: ManageTokenService
  /** Rate limits and the subscription cap of the public path. */
  publicLimits: PublicLimits
  /** Live availability feeds shared by the subscribers of one calendar and range. */
  liveAvailability: LiveAvailabilityHub
  /** Prometheus metrics of this process (/metrics). */
  metrics: AppMetrics
}
