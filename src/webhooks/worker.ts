// The webhook worker, one per process (ROLE=all or worker): the shared outbox drain loop (src/outbox) over the
// WebhookDelivery rows. Bookings and syncs only write rows; they never wait for a receiver.
import type { BackgroundJob } from '../backgroundJob.ts'
import type { Services } from '../app/services.ts'
import { Prisma } from '../generated/prisma/client.ts'
import { processOutboxBatch } from '../outbox/batch.ts'
import { createOutboxJob, kickOutbox } from '../outbox/worker.ts'
import type { OutboxTable } from '../outbox/claim.ts'
import { deliverOnce, type DeliveryOutcome } from './deliver.ts'

const NAME = 'webhooks'

/** The lease outlives one attempt (its timeout) with a margin; after a crash the row is claimed again then. */
export function webhookOutbox(services: Pick<Services, 'config'>): OutboxTable {
  return {
    table: '"WebhookDelivery"',
    waiting: Prisma.sql`"state"::text = 'PENDING'`,
    leaseSeconds: Math.ceil((2 * services.config.webhooks.timeoutMs) / 1000) + 5,
  }
}

export async function processWebhookDeliveries(
  services: Services,
  options: { limit?: number; concurrency?: number } = {},
): Promise<DeliveryOutcome[]> {
  return processOutboxBatch(services, webhookOutbox(services), {
    limit: options.limit ?? 20,
    concurrency: options.concurrency ?? 8,
    work: (id) => deliverOnce(services, id),
    onUnexpectedError: async (id, error) => {
      await services.prisma.webhookDelivery
        .update({
          where: { id },
          data: {
            nextAttemptAt: new Date(Date.now() + 60_000),
            lastError: error instanceof Error ? error.message : String(error),
          },
        })
        .catch(() => {})
      return 'RETRY' as const
    },
  })
}

/** Delivers what this process has just recorded now, when the worker runs here; otherwise the next tick will. */
export function kickWebhooks(services: Pick<Services, 'config' | 'logger'>): void {
  kickOutbox(services, NAME)
}

export function createWebhookWorker(services: Services): BackgroundJob {
  return createOutboxJob(services, {
    name: NAME,
    intervalSeconds: 5,
    drainBatch: async () => (await processWebhookDeliveries(services)).length,
  })
}
