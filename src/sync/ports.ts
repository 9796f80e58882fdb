// What the sync engine needs from the process that runs it. The engine never imports the wiring (src/app) or the
// write-back (src/writeBack): the process hands it these, and the two-way sync of CRM appointments plugs in through
// CrmEventHooks (implemented in src/writeBack/crmEvents.ts), status webhooks through IntegrationStatusHooks.
import type { Config } from '../config.ts'
import type { IntegrationStatus } from '../generated/prisma/enums.ts'
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'
import type { Logger } from '../logger.ts'
import type { AppPubSub } from '../realtime/pubsub.ts'
import type { CredentialCipher } from '../security/credentialCipher.ts'

export interface SyncServices {
  config: Config
  prisma: PrismaClient
  logger: Logger
  pubsub: AppPubSub
  cipher: CredentialCipher
  /** A name unique to this process: the owner written into sync leases. */
  instanceId: string
  crmEvents: CrmEventHooks
  integrationEvents: IntegrationStatusHooks
}

/**
 * Status changes of an integration reported to the CRM (webhooks, implemented in src/webhooks): `statusChanged` runs
 * in the transaction that makes the change; `afterCommit` starts delivery.
 */
export interface IntegrationStatusHooks {
  statusChanged(
    tx: Prisma.TransactionClient,
    integration: { id: string; subaccountId: string; status: IntegrationStatus },
    next: IntegrationStatus,
  ): Promise<void>
  afterCommit(services: SyncServices): void
}

/** A resource on the linked calendar whose UID is a CRM appointment of this user changed in iCloud. */
export interface CrmEventChange {
  appointmentId: string
  userId: string
  /** Calendar row id (the linked calendar). */
  calendarId: string
  href: string
  etag: string | null
  data: string
}

export interface CrmEventDeletion {
  appointmentId: string
  userId: string
  calendarId: string
  href: string
}

/**
 * Two-way sync of CRM-created appointments. `changed`/`deleted` run inside the engine's write transaction and must
 * not publish; `withEffects` wraps a whole run and publishes what committed once it is over.
 */
export interface CrmEventHooks {
  withEffects<T>(services: SyncServices, run: () => Promise<T>): Promise<T>
  changed(tx: Prisma.TransactionClient, change: CrmEventChange): Promise<void>
  deleted(tx: Prisma.TransactionClient, deletion: CrmEventDeletion): Promise<void>
}
