// The small calls the domain makes inside its transactions. Each builds the event's data from the same transaction,
// so the payload is exactly what committed.
import type { IntegrationStatus } from '../generated/prisma/enums.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import type { IntegrationStatusHooks } from '../sync/ports.ts'
import type { WebhookEventType } from './eventTypes.ts'
import { appointmentData, appointmentFields, globalId, integrationData, type AppointmentFields } from './payloads.ts'
import { recordEvent } from './recordEvent.ts'
import { kickWebhooks } from './worker.ts'

type Tx = Prisma.TransactionClient

type AppointmentEventType = Extract<WebhookEventType, `appointment.${string}`>

export interface AppointmentEventDetails {
  /** The fields before and after the change (rescheduled, updated in iCloud). */
  before?: AppointmentFields
  after?: AppointmentFields
  /** The user whose iCloud calendar the change came from. */
  iCloudUserId?: string
  reason?: string | null
}

export async function recordAppointmentEvent(
  tx: Tx,
  type: AppointmentEventType,
  appointment: { id: string; subaccountId: string },
  details: AppointmentEventDetails = {},
): Promise<void> {
  await recordEvent(tx, {
    subaccountId: appointment.subaccountId,
    type,
    data: async () => ({
      appointment: await appointmentData(tx, appointment.id),
      ...(details.before ? { before: appointmentFields(details.before) } : {}),
      ...(details.after ? { after: appointmentFields(details.after) } : {}),
      ...(details.iCloudUserId ? { iCloudUserId: globalId('User', details.iCloudUserId) } : {}),
      ...(details.reason !== undefined ? { reason: details.reason } : {}),
    }),
  })
}

const STATUS_EVENTS: Partial<Record<IntegrationStatus, WebhookEventType>> = {
  CONNECTED: 'integration.connected',
  NEEDS_REAUTH: 'integration.needs_reauth',
  ERROR: 'integration.error',
}

/**
 * Call after the integration row got its new status in this transaction; records an event only when the status
 * actually moved (previous null: newly connected).
 */
export async function recordIntegrationStatus(
  tx: Tx,
  integration: { id: string; subaccountId: string },
  previous: IntegrationStatus | null,
  next: IntegrationStatus,
): Promise<void> {
  const type = STATUS_EVENTS[next]
  if (previous === next || !type) return
  await recordEvent(tx, {
    subaccountId: integration.subaccountId,
    type,
    data: async () => ({ integration: await integrationData(tx, integration.id, previous) }),
  })
}

/** The status hooks the sync engine is given (Services.integrationEvents). */
export const integrationStatusHooks: IntegrationStatusHooks = {
  statusChanged: (tx, integration, next) => recordIntegrationStatus(tx, integration, integration.status, next),
  afterCommit: (services) => kickWebhooks(services),
}

/** Call before the integration row is deleted in this transaction. */
export async function recordIntegrationDisconnected(tx: Tx, integration: { id: string; subaccountId: string }) {
  await recordEvent(tx, {
    subaccountId: integration.subaccountId,
    type: 'integration.disconnected',
    data: async () => {
      const data = await integrationData(tx, integration.id, null)
      return { integration: { ...data, previousStatus: data.status, status: 'DISCONNECTED' } }
    },
  })
}
