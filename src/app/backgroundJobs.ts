// Workers started with the server (ROLE=all or worker): the sync engine, the write-back outbox, history pruning.
import { createRunRetentionJob } from '../sync/runRetentionJob.ts'
import { createSyncScheduler } from '../sync/scheduler.ts'
import { createWriteBackWorker } from '../writeBack/scheduler.ts'
import type { Services } from './services.ts'

export interface BackgroundJob {
  start(): void
  /** Stops scheduling new work and resolves when work in flight has finished. */
  stop(): Promise<void>
}

export type BackgroundJobFactory = (services: Services) => BackgroundJob

export const backgroundJobFactories: BackgroundJobFactory[] = [
  createSyncScheduler,
  createWriteBackWorker,
  createRunRetentionJob,
]
