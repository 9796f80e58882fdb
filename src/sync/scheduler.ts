// The cron-driven sync worker, one per process (ROLE=all or worker). A tick claims only as many integrations as this
// process has free slots; syncs run on across ticks, so a long initial sync never blocks the others.
import cron, { type ScheduledTask } from 'node-cron'
import type { BackgroundJob } from '../app/backgroundJobs.ts'
import type { Services } from '../app/services.ts'
import { launchDueIntegrations } from './syncDueIntegrations.ts'
import { waitForInFlightSyncs } from './syncIntegration.ts'

/** A six-field node-cron pattern firing every `seconds` (exact for divisors of 60; others rounded to minutes). */
export function cronPattern(seconds: number): string {
  if (seconds < 60) return `*/${seconds} * * * * *`
  const minutes = Math.max(1, Math.round(seconds / 60))
  return minutes >= 60 ? '0 0 * * * *' : `0 */${minutes} * * * *`
}

export function createSyncScheduler(services: Services): BackgroundJob {
  let task: ScheduledTask | null = null
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
      task = cron.schedule(cronPattern(services.config.sync.intervalSeconds), tick, { name: 'sync' })
      tick()
    },
    async stop() {
      stopped = true
      if (task) await task.stop()
      if (task) await task.destroy()
      task = null
      await claiming
      await waitForInFlightSyncs(services)
    },
  }
}
