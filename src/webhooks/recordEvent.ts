// The one call the rest of the code makes: recordEvent(tx, …) inside the transaction of the change it reports, so the
// event exists exactly when the change committed. It fans out at once into one delivery row per enabled endpoint of
// the subaccount that subscribed to the type; the webhook worker (worker.ts) delivers them after the commit.
import { randomUUID } from 'node:crypto'
import type { Prisma } from '../generated/prisma/client.ts'
import type { WebhookEventType } from './eventTypes.ts'

type Tx = Prisma.TransactionClient

export interface RecordedEvent {
  subaccountId: string
  type: WebhookEventType
  /** Built only when some endpoint listens, from the same transaction. */
  data: () => Promise<Record<string, unknown>>
}

/** The stable event id: the `webhook-id` header and the body's `id`, the same on every attempt. */
function newEventId(): string {
  return `evt_${randomUUID().replaceAll('-', '')}`
}

/** Returns the event id, or null when no endpoint listens (then nothing is stored). */
export async function recordEvent(tx: Tx, event: RecordedEvent, at = new Date()): Promise<string | null> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { subaccountId: event.subaccountId, enabled: true, eventTypes: { has: event.type } },
    select: { id: true },
  })
  if (endpoints.length === 0) return null
  const id = newEventId()
  await tx.webhookEvent.create({
    data: {
      id,
      subaccountId: event.subaccountId,
      type: event.type,
      payload: {
        id,
        type: event.type,
        timestamp: at.toISOString(),
        data: await event.data(),
      } as Prisma.InputJsonObject,
      createdAt: at,
      deliveries: { create: endpoints.map((endpoint) => ({ endpointId: endpoint.id, nextAttemptAt: at })) },
    },
  })
  return id
}
