// The order of a graceful stop (SIGTERM): stop taking work, let work in flight finish until one deadline, give back
// what did not finish, then close pub/sub and the database (never while a request may still use them).
import type { Database } from '../db/database.ts'
import type { HttpServer } from '../server.ts'
import { releaseAllLeases } from '../sync/lease.ts'
import { waitForInFlightSyncs } from '../sync/syncIntegration.ts'
import { releaseAllClaims } from '../outbox/claim.ts'
import { webhookOutbox } from '../webhooks/worker.ts'
import { writeBackOutbox } from '../writeBack/outbox.ts'
import type { BackgroundJob } from './backgroundJobs.ts'
import type { Services } from './services.ts'

export interface ShutdownParts {
  services: Services
  http: HttpServer
  jobs: BackgroundJob[]
  closePubSub: () => Promise<void>
  database: Database
}

export async function shutDown(parts: ShutdownParts, deadline: number): Promise<void> {
  const { services, http, jobs } = parts
  // Jobs stop ticking at once; their runs (and syncs started by syncNow on an API process) may finish.
  const work = Promise.all(jobs.map((job) => job.stop())).then(() => waitForInFlightSyncs(services))
  const [, workFinished] = await Promise.all([http.close(deadline), finishedBy(work, deadline)])
  if (!workFinished) {
    // The data of a cut sync is safe (a token moves only with the data it covers); hand the work over now instead
    // of when the leases expire.
    const [integrations, writes, deliveries] = await Promise.all([
      releaseAllLeases(services),
      releaseAllClaims(services, writeBackOutbox(services)),
      releaseAllClaims(services, webhookOutbox(services)),
    ])
    services.logger.warn(
      { integrations, writes, deliveries },
      'shutdown deadline reached: released leases of unfinished work',
    )
  }
  await parts.closePubSub()
  services.metrics.close()
  await parts.database.close()
}

async function finishedBy(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))
  })
  const finished = work.then(
    () => true as const,
    () => true as const,
  )
  const result = await Promise.race([finished, timeout])
  clearTimeout(timer)
  return result
}
