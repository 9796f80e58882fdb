// The sync worker, one per process (ROLE=all or worker). A tick claims only as many integrations as this
// process has free slots; syncs run on across ticks, so a long initial sync never blocks the others.
import type { BackgroundJob } from '../app/backgroundJobs.ts'
import type { Services } from '../app/services.ts'
import { everyInterval, type RepeatingTick } from '../timing/everyInterval.ts'
import { launchDueIntegrations } from './syncDueIntegrations.ts'
import { waitForInFlightSyncs } from './syncIntegration.ts'

export function createSyncScheduler(services: Services): BackgroundJob {
  let task: RepeatingTick | null = null
  let claiming: Promise<unknown> | null = null
  let stopped = false
  const tick = () => {
    if (stopped || claiming) return
    claiming = launchDueIntegrations(services)
      .then((runs) => {
        for (const run of runs) run.catch((error: unknown) => services.logger.error({ err: error }, 'sync failed'))
      })
      .catch((error: unknown) => services.logger.error({ err: error }, 'sync tick failed'))
      .finally(() => {
        claiming = null
      })
  }
  return {
    start() {
      if (task || services.config.role === 'api') return
      stopped = false
      task = everyInterval(services.config.sync.intervalSeconds, tick, 'sync')
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
