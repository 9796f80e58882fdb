// The write-back worker: the shared outbox drain loop (src/outbox/worker.ts) over the write-back queue, kicked when
// this process has just queued a write (kickWriteBack), so iCloud usually has the event within a second.
import type { BackgroundJob } from '../backgroundJob.ts'
import type { Services } from '../app/services.ts'
import { createOutboxJob, kickOutbox } from '../outbox/worker.ts'
import { processWriteBackQueue } from './outbox.ts'

const NAME = 'write-back'

export function kickWriteBack(services: Pick<Services, 'config' | 'logger'>): void {
  kickOutbox(services, NAME)
}

export function createWriteBackWorker(services: Services): BackgroundJob {
  return createOutboxJob(services, {
    name: NAME,
    intervalSeconds: 10,
    drainBatch: async () => (await processWriteBackQueue(services)).claimed,
  })
}
