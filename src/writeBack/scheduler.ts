// The write-back worker, one per process (ROLE=all or worker): drains the outbox every few seconds, and right away
// when this process has just queued a write (kickWriteBack), so iCloud usually has the event within a second.
import type { BackgroundJob } from '../app/backgroundJobs.ts'
import type { Services } from '../app/services.ts'
import { everyInterval, type RepeatingTick } from '../timing/everyInterval.ts'
import { processWriteBackQueue } from './outbox.ts'

const INTERVAL_SECONDS = 10
const running = new WeakMap<Services, () => void>()

/** Asks this process's outbox worker (if it runs here) to drain the queue now; otherwise the next tick will. */
export function kickWriteBack(services: Services): void {
  running.get(services)?.()
}

export function createWriteBackWorker(services: Services): BackgroundJob {
  let task: RepeatingTick | null = null
  let draining: Promise<void> | null = null
  let again = false
  let stopped = false

  const drain = () => {
    if (stopped) return
    if (draining) {
      again = true
      return
    }
    draining = (async () => {
      do {
        again = false
        const { claimed } = await processWriteBackQueue(services)
        if (claimed > 0) again = true
      } while (again && !stopped)
    })()
      .catch((error: unknown) => services.logger.error({ err: error }, 'write-back tick failed'))
      .finally(() => {
        draining = null
      })
  }

  return {
    start() {
      if (task || services.config.role === 'api') return
      stopped = false
      running.set(services, drain)
      task = everyInterval(INTERVAL_SECONDS, drain, 'write-back')
      drain()
    },
    async stop() {
      stopped = true
      running.delete(services)
      await task?.stop()
      task = null
      await draining
    },
  }
}
