// A tick's share of the due integrations: claimed in one statement, loaded in one batch, checked in parallel. The
// unchanged ones are recorded in batches (unchangedRuns.ts); the others become full runs, `fullConcurrency` at once.
import type { SyncServices as Services } from './ports.ts'
import { claimDueIntegrations, keepLease, LeaseLostError, type ClaimedIntegration } from './lease.ts'
import { Semaphore } from './bounded.ts'
import { loadIntegrationsToCheck, type IntegrationToCheck } from './checkBatch.ts'
import { checkable, checkIntegration, type ProbeHandoff } from './probe.ts'
import { notifyUnchanged } from './runEvents.ts'
import { recordUnchanged } from './unchangedRuns.ts'
import { inFlightSyncs, newCounters, startClaimed, track, type SyncRunResult } from './syncIntegration.ts'
import { nextCheckDelayMs } from './schedule.ts'

/**
 * Claims as many due integrations as this process has free check slots (SYNC_CONCURRENCY) and starts their checks.
 * Resolves once they are started (claimed, tracked in flight), with their completions.
 */
export async function launchDueIntegrations(services: Services): Promise<Promise<SyncRunResult | null>[]> {
  const free = services.config.sync.concurrency - inFlightSyncs(services).size
  const claimed = await claimDueIntegrations(services, free)
  if (claimed.length === 0) return []
  let loaded: Map<string, IntegrationToCheck>
  try {
    const ids = claimed.filter((c) => !c.abandoned).map((c) => c.id)
    loaded = await loadIntegrationsToCheck(services.prisma, ids)
  } catch (error) {
    services.logger.error({ err: error }, 'claimed integrations could not be loaded')
    loaded = new Map()
  }
  return claimed.map((c) => track(services, checkClaimed(services, c, loaded.get(c.id))))
}

/** One tick, awaited to the end (tests, scripts): the results of the syncs it started. */
export async function syncDueIntegrations(services: Services): Promise<SyncRunResult[]> {
  const runs = await Promise.all(await launchDueIntegrations(services))
  return runs.filter((run): run is SyncRunResult => run !== null)
}

/** An abandoned or not checkable integration goes straight to a full run (it marks the dead run FAILED). */
async function checkClaimed(
  services: Services,
  claimed: ClaimedIntegration,
  integration: IntegrationToCheck | undefined,
): Promise<SyncRunResult | null> {
  try {
    if (!integration || !checkable(services, integration)) return await fullRun(services, claimed.id)
    const startedAt = new Date()
    const check = await checkIntegration(services, integration)
    if ('handoff' in check) return await fullRun(services, claimed.id, check.handoff)
    const state = { attentionUntil: integration.attentionUntil, quietRuns: integration.quietRuns + 1 }
    const nextSyncAt = new Date(Date.now() + nextCheckDelayMs(services.config, state, Date.now()))
    const syncRunId = await recordUnchanged(services, {
      ...check.unchanged,
      integrationId: claimed.id,
      startedAt,
      nextSyncAt,
    })
    if (!syncRunId) return null
    notifyUnchanged(services, integration, syncRunId)
    const counters = { ...newCounters(), calendarsChecked: check.unchanged.calendars.length }
    const { count, ms } = check.unchanged.requests
    return { syncRunId, outcome: 'SUCCESS', counters, requestCount: count, requestMs: ms, slotsChanged: false }
  } catch (error) {
    services.logger.error({ err: error, integrationId: claimed.id }, 'sync could not start')
    return null
  }
}

const fullSlots = new WeakMap<object, Semaphore>()

/** A full run, once one of the `fullConcurrency` slots is free; the lease is renewed while it waits. */
async function fullRun(services: Services, integrationId: string, handoff?: ProbeHandoff) {
  let slots = fullSlots.get(services)
  if (!slots) fullSlots.set(services, (slots = new Semaphore(services.config.sync.fullConcurrency)))
  const lease = keepLease(services, integrationId, () => {})
  const release = await slots.acquire().finally(() => lease.stop())
  try {
    lease.assert() // lost while waiting: another process has it now, and its running SyncRun must stay
    const start = await startClaimed(services, integrationId, 'CRON', { handoff, untracked: true })
    return start.started ? await start.done : null
  } catch (error) {
    if (error instanceof LeaseLostError) return null
    throw error
  } finally {
    release()
  }
}
