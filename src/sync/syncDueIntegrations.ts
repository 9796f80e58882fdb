import type { SyncServices as Services } from './ports.ts'
import { claimDueIntegrations } from './lease.ts'
import { inFlightSyncs, startClaimed, type SyncRunResult } from './syncIntegration.ts'

/**
 * Claims as many due integrations as this process has free sync slots (SYNC_CONCURRENCY) and starts their syncs.
 * Resolves once they are started (claimed, SyncRun created, tracked in flight), with their completions.
 */
export async function launchDueIntegrations(services: Services): Promise<Promise<SyncRunResult | null>[]> {
  const free = services.config.sync.concurrency - inFlightSyncs(services).size
  const ids = await claimDueIntegrations(services, free)
  const started = await Promise.all(
    ids.map(async (id) => {
      try {
        const start = await startClaimed(services, id, 'CRON')
        // Wrapped: an awaited promise inside Promise.all would be flattened into its result.
        return { done: start.started ? start.done : Promise.resolve(null) }
      } catch (error) {
        services.logger.error({ err: error, integrationId: id }, 'sync could not start')
        return { done: Promise.resolve(null) }
      }
    }),
  )
  return started.map((s) => s.done)
}

/** One tick, awaited to the end (tests, scripts): the results of the syncs it started. */
export async function syncDueIntegrations(services: Services): Promise<SyncRunResult[]> {
  const runs = await Promise.all(await launchDueIntegrations(services))
  return runs.filter((run): run is SyncRunResult => run !== null)
}
