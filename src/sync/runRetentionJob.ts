// Prunes SyncRun history once an hour in each worker process (and once at start), stopping between statements when
// the process shuts down.
import type { BackgroundJob } from '../app/backgroundJobs.ts'
import type { Services } from '../app/services.ts'
import { everyInterval, type RepeatingTick } from '../timing/everyInterval.ts'
import { pruneSyncHistory } from './runRetention.ts'

const PRUNE_INTERVAL_SECONDS = 3600

export function createRunRetentionJob(services: Services): BackgroundJob {
  let task: RepeatingTick | null = null
  let pruning: Promise<void> | null = null
  let stopped = false
  const prune = () => {
    if (stopped || pruning) return
    const { historyKeepRuns, historyFailedDays } = services.config.sync
    pruning = pruneSyncHistory(
      services.prisma,
      { keepRuns: historyKeepRuns, failedRunDays: historyFailedDays },
      { shouldStop: () => stopped },
    )
      .then((result) => {
        if (result.deleted > 0) services.logger.info({ ...result }, 'sync history pruned')
      })
      .catch((error: unknown) => services.logger.error({ err: error }, 'sync history pruning failed'))
      .finally(() => {
        pruning = null
      })
  }
  return {
    start() {
      if (task || services.config.role === 'api') return
      stopped = false
      task = everyInterval(PRUNE_INTERVAL_SECONDS, prune, 'sync-history')
      prune()
    },
    async stop() {
      stopped = true
      await task?.stop()
      task = null
      await pruning
    },
  }
}
