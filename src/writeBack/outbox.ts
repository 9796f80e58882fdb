// The write-back outbox: PENDING participants are claimed, written to iCloud and released. Durable by construction
// (the queue is the participant rows), so a restart or an iCloud outage only delays writes; bookings never wait.
import type { Services } from '../app/services.ts'
import { Prisma } from '../generated/prisma/client.ts'
import { processOutboxBatch } from '../outbox/batch.ts'
import type { OutboxTable } from '../outbox/claim.ts'
import { pushParticipant, scheduleRetry, type PushOutcome } from './pushParticipant.ts'

/** The lease (WRITE_BACK_LEASE_SECONDS) outlives one write; after a crash the row is claimed again then. */
export function writeBackOutbox(services: Pick<Services, 'config'>): OutboxTable {
  return {
    table: '"AppointmentParticipant"',
    waiting: Prisma.sql`"writeBackState"::text = 'PENDING'`,
    leaseSeconds: services.config.writeBackLeaseSeconds,
  }
}

export interface OutboxRunResult {
  claimed: number
  outcomes: Record<PushOutcome, number>
}

export async function processWriteBackQueue(
  services: Services,
  options: { limit?: number; concurrency?: number } = {},
): Promise<OutboxRunResult> {
  const results = await processOutboxBatch(services, writeBackOutbox(services), {
    limit: options.limit ?? 50,
    concurrency: options.concurrency ?? 4,
    work: (id) => pushParticipant(services, id),
    onUnexpectedError: async (id, error) => {
      await scheduleRetry(services, id, error instanceof Error ? error.message : String(error)).catch(() => {})
      return 'RETRY' as const
    },
  })
  const outcomes: Record<PushOutcome, number> = { SYNCED: 0, RETRY: 0, FAILED: 0, REMOVED_IN_ICLOUD: 0, SKIPPED: 0 }
  for (const outcome of results) outcomes[outcome]++
  return { claimed: results.length, outcomes }
}
