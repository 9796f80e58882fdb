// The drain loop every outbox runs, one per process (ROLE=all or worker): a tick every few seconds, and
// right away when this process has just queued work (kickOutbox), so the row usually goes out within a second. A
// drain repeats while it claimed something; a kick during a drain runs one more.
import type { BackgroundJob } from '../backgroundJob.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { everyInterval, type RepeatingTick } from '../timing/everyInterval.ts'

export interface OutboxJobOptions {
  name: string
  intervalSeconds: number
  /** One batch: claims, works and releases; returns how many rows it claimed. */
  drainBatch: () => Promise<number>
}

type JobServices = { config: Config; logger: Logger }
const kicks = new WeakMap<JobServices, Map<string, () => void>>()

/** Asks this process's worker of that outbox (if it runs here) to drain now; otherwise its next tick will. */
export function kickOutbox(services: JobServices, name: string): void {
  kicks.get(services)?.get(name)?.()
}

export function createOutboxJob(services: JobServices, options: OutboxJobOptions): BackgroundJob {
  let task: RepeatingTick | null = null
  let draining: Promise<void> | null = null
  let again = false
  let stopped = true

  const drain = () => {
    if (stopped) return
    if (draining) {
      again = true
      return
    }
    draining = (async () => {
      do {
        again = false
        if ((await options.drainBatch()) > 0) again = true
      } while (again && !stopped)
    })()
      .catch((error: unknown) => services.logger.error({ err: error }, `${options.name} tick failed`))
      .finally(() => {
        draining = null
      })
  }

  return {
    start() {
      if (task || services.config.role === 'api') return
      stopped = false
      if (!kicks.has(services)) kicks.set(services, new Map())
      kicks.get(services)!.set(options.name, drain)
      task = everyInterval(options.intervalSeconds, drain, options.name)
      drain()
    },
    async stop() {
      stopped = true
      kicks.get(services)?.delete(options.name)
      await task?.stop()
      task = null
      await draining
    },
  }
}
