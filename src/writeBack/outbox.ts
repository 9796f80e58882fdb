// The write-back outbox: PENDING participants are claimed, written to iCloud and released. Durable by construction
// (the queue is the participant rows), so a restart or an iCloud outage only delays writes; bookings never wait.
import pLimit from 'p-limit'
import type { Services } from '../app/services.ts'
import { claimDueWrites, releaseWrite } from './claim.ts'
import { pushParticipant, scheduleRetry, type PushOutcome } from './pushParticipant.ts'

export interface OutboxRunResult {
  claimed: number
  outcomes: Record<PushOutcome, number>
}

export async function processWriteBackQueue(
  services: Services,
  options: { limit?: number; concurrency?: number } = {},
): Promise<OutboxRunResult> {
  const ids = await claimDueWrites(services, options.limit ?? 50)
  const outcomes: Record<PushOutcome, number> = { SYNCED: 0, RETRY: 0, FAILED: 0, REMOVED_IN_ICLOUD: 0, SKIPPED: 0 }
  const limit = pLimit(options.concurrency ?? 4)
  await Promise.all(
    ids.map((id) =>
      limit(async () => {
        try {
          outcomes[await pushParticipant(services, id)]++
        } catch (error) {
          services.logger.error({ err: error, participantId: id }, 'write-back failed unexpectedly')
          outcomes.RETRY++
          // Without a new nextAttemptAt the row would be claimed again at once, forever.
          await scheduleRetry(services, id, error instanceof Error ? error.message : String(error)).catch(() => {})
        } finally {
          await releaseWrite(services, id)
        }
      }),
    ),
  )
  return { claimed: ids.length, outcomes }
}
