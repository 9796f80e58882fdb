// The sync worker, one per process (ROLE=all or worker). A tick claims only as many integrations as this process has
// free slots; syncs run on across ticks, so a long initial sync never blocks the others. Between ticks, finished
// checks make room: once a batch's worth of slots is free the worker claims again, so one tick's due integrations
// are all checked within it even when they outnumber SYNC_CONCURRENCY many times over.
import type { BackgroundJob } from '../backgroundJob.ts'
import type { SyncServices } from './ports.ts'
import { everyInterval, type RepeatingTick } from '../timing/everyInterval.ts'
import { tickSeconds } from './schedule.ts'
import { launchDueIntegrations } from './syncDueIntegrations.ts'
import { inFlightSyncs, waitForInFlightSyncs } from './syncIntegration.ts'

export function createSyncScheduler(services: SyncServices): BackgroundJob {
  let task: RepeatingTick | null = null
  let claiming: Promise<unknown> | null = null
  let stopped = false
  /** The last claim filled every free slot: more may be due, so finished runs trigger a refill. */
  let mayHaveMore = false
  const { concurrency } = services.config.sync
  const refillAt = Math.max(1, Math.ceil(concurrency / 8))
  const free = () => concurrency - inFlightSyncs(services).size
  const afterRun = () => {
    if (mayHaveMore && free() >= refillAt) tick()
  }
  const tick = () => {
    if (stopped || claiming) return
    const asked = free()
    claiming = launchDueIntegrations(services)
      .then((runs) => {
        mayHaveMore = asked <= 0 || runs.length >= asked
        for (const run of runs) {
          run.catch((error: unknown) => services.logger.error({ err: error }, 'sync failed')).finally(afterRun)
        }
      })
      .catch((error: unknown) => services.logger.error({ err: error }, 'sync tick failed'))
      .finally(() => {
        claiming = null
        afterRun() // runs that finished while this claim ran asked for a refill then, and were turned away
      })
  }
  return {
    start() {
      if (task || services.config.role === 'api') return
      stopped = false
      task = everyInterval(tickSeconds(services.config), tick, 'sync')
      tick()
    },
    async stop() {
      stopped = true
      await task?.stop()
      task = null
      await claiming
      await waitForInFlightSyncs(services)
    },
  }
}
