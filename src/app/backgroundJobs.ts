// Workers started with the server (ROLE=all or worker): the sync engine, the write-back and webhook outboxes,
// history pruning, and on PGlite the stand-in for autovacuum.
import { createEmbeddedVacuumJob } from '../db/embeddedVacuum.ts'
import { createRunRetentionJob } from '../sync/runRetentionJob.ts'
import { createSyncScheduler } from '../sync/scheduler.ts'
import { createWebhookWorker } from '../webhooks/worker.ts'
import { createWriteBackWorker } from '../writeBack/scheduler.ts'
import type { BackgroundJob } from '../backgroundJob.ts'
import type { Services } from './services.ts'

export type { BackgroundJob } from '../backgroundJob.ts'

export type BackgroundJobFactory = (services: Services) => BackgroundJob

export const backgroundJobFactories: BackgroundJobFactory[] = [
  createSyncScheduler,
  createWriteBackWorker,
  createWebhookWorker,
  createRunRetentionJob,
  createEmbeddedVacuumJob,
]
