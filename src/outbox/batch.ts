// One batch of an outbox: claim due rows, work on them a few at a time, release each claim whatever happened.
import pLimit from 'p-limit'
import type { Services } from '../app/services.ts'
import { claimDue, releaseClaim, type OutboxTable } from './claim.ts'

export interface BatchOptions<Outcome> {
  limit: number
  concurrency: number
  work: (id: string) => Promise<Outcome>
  /**
   * An unexpected error (a bug, the database): must schedule a later attempt, or the row would be claimed again at
   * once, forever.
   */
  onUnexpectedError: (id: string, error: unknown) => Promise<Outcome>
}

export async function processOutboxBatch<Outcome>(
  services: Pick<Services, 'prisma' | 'instanceId' | 'logger'>,
  outbox: OutboxTable,
  options: BatchOptions<Outcome>,
): Promise<Outcome[]> {
  const ids = await claimDue(services, outbox, options.limit)
  const limit = pLimit(options.concurrency)
  return Promise.all(
    ids.map((id) =>
      limit(async () => {
        try {
          return await options.work(id)
        } catch (error) {
          services.logger.error({ err: error, outbox: outbox.table, id }, 'outbox work failed unexpectedly')
          return await options.onUnexpectedError(id, error)
        } finally {
          await releaseClaim(services, outbox, id)
        }
      }),
    ),
  )
}
