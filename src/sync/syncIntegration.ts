// One sync run of one integration: every conflict calendar and the linked calendar, recorded as a SyncRun.
//
// Error policy (for the UI and the availability engine):
// - 401 → Integration.status NEEDS_REAUTH with a message telling the user to reconnect with a new app-specific
//   password; syncing stops (ticks only claim CONNECTED/ERROR integrations). The blocked slots already stored are
//   KEPT: the user's availability must not silently turn free because we can no longer read their calendar. The
//   availability layer flags it as stale from Integration.status != CONNECTED or an old Integration.lastSyncedAt.
// - 429/503 beyond the client's short retries → outcome RATE_LIMITED, next attempt after Retry-After (or back-off).
// - Network errors and timeouts → exponential back-off with jitter (consecutiveFailures); after
//   ERROR_AFTER_FAILURES in a row the status becomes ERROR (still retried, shown to the user) until a run succeeds.
// - One calendar failing (deleted remotely, 5xx) is recorded on that calendar and on the run; the others still sync
//   and the failing calendar keeps its last known slots (peers drop them).
import type { Services } from '../app/services.ts'
import {
  APP_SPECIFIC_PASSWORD_HINT,
  CalDavAuthError,
  CalDavRateLimitedError,
  CalDavUnavailableError,
} from '../caldav/index.ts'
import type { SyncOutcome, SyncTrigger } from '../generated/prisma/enums.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import { notifyBusyTimeChanged } from '../realtime/notify.ts'
import { createSyncClient } from './caldavClient.ts'
import { syncCalendar, type RunCounters, type SyncCalendarRow } from './calendarSync.ts'
import { withCrmEventEffects } from './crmEvents.ts'
import { claimIntegration, LeaseLostError, renewLease } from './lease.ts'
import { ChangedRange } from './objectSlots.ts'
import { computeWindow, sameWindow } from './window.ts'
import { reexpandIntegration } from './windowMaintenance.ts'
import { syncFinishedChannel, type SyncFinishedEvent } from './syncEvents.ts'

const ERROR_AFTER_FAILURES = 5
const MAX_BACKOFF_MS = 60 * 60 * 1000
const TRANSACTION_TIMEOUT_MS = 120_000
export const MULTIGET_BATCH = 100
/** Objects per write transaction during a sync: five multiget batches. */
export const WRITE_BATCH = 500
/**
 * Multigets in flight per calendar during a large sync. Two keep the server busy while a batch is stored; iCloud
 * answers 503 to clients that open many parallel requests per account, so it stays small.
 */
export const MULTIGET_CONCURRENCY = 2

export interface SyncRunResult {
  syncRunId: string
  outcome: SyncOutcome
  counters: RunCounters
  requestCount: number
  /** Summed duration of the CalDAV requests (the server's share of the run time). */
  requestMs: number
  slotsChanged: boolean
}

export type SyncStart =
  | { started: true; syncRunId: string; done: Promise<SyncRunResult> }
  | { started: false; reason: 'BUSY' | 'NOT_FOUND' | 'NOT_CONNECTED' }

// Syncs running in this process, per Services: the concurrency limit and a graceful stop() count them.
const inFlight = new WeakMap<object, Set<Promise<unknown>>>()

export function inFlightSyncs(services: Pick<Services, 'instanceId'>): Set<Promise<unknown>> {
  let set = inFlight.get(services)
  if (!set) inFlight.set(services, (set = new Set()))
  return set
}

export async function waitForInFlightSyncs(services: Pick<Services, 'instanceId'>): Promise<void> {
  const set = inFlightSyncs(services)
  while (set.size > 0) await Promise.allSettled([...set])
}

function track<T>(services: Services, promise: Promise<T>): Promise<T> {
  const set = inFlightSyncs(services)
  set.add(promise)
  void promise.finally(() => set.delete(promise)).catch(() => {})
  return promise
}

/** Runs a sync now and waits for it (tests, scripts); null when another process holds the lease or it cannot sync. */
export async function syncIntegration(
  services: Services,
  integrationId: string,
  trigger: SyncTrigger,
): Promise<SyncRunResult | null> {
  const start = await startIntegrationSync(services, integrationId, trigger)
  return start.started ? start.done : null
}

/** Claims the lease and creates the SyncRun, then syncs in the background (syncNow answers with the run at once). */
export async function startIntegrationSync(
  services: Services,
  integrationId: string,
  trigger: SyncTrigger,
): Promise<SyncStart> {
  const found = await services.prisma.integration.findUnique({ where: { id: integrationId }, select: { status: true } })
  if (!found) return { started: false, reason: 'NOT_FOUND' }
  if (found.status === 'NEEDS_REAUTH' || found.status === 'DISCONNECTED')
    return { started: false, reason: 'NOT_CONNECTED' }
  if (!(await claimIntegration(services, integrationId))) return { started: false, reason: 'BUSY' }
  return startClaimed(services, integrationId, trigger)
}

/** For an integration whose lease this process holds. */
export async function startClaimed(
  services: Services,
  integrationId: string,
  trigger: SyncTrigger,
): Promise<SyncStart> {
  const { prisma } = services
  let run: { id: string }
  try {
    // Holding the lease, any RUNNING run of this integration belongs to a process that died.
    await prisma.syncRun.updateMany({
      where: { integrationId, outcome: 'RUNNING' },
      data: { outcome: 'FAILED', finishedAt: new Date(), errors: [{ message: 'Interrupted (the process stopped)' }] },
    })
    run = await prisma.syncRun.create({ data: { integrationId, trigger }, select: { id: true } })
  } catch (error) {
    await releaseLease(services, integrationId, {})
    throw error
  }
  const done = track(
    services,
    withCrmEventEffects(services, () => runSync(services, integrationId, run.id)),
  )
  return { started: true, syncRunId: run.id, done }
}

async function releaseLease(
  services: Services,
  integrationId: string,
  data: Prisma.IntegrationUpdateManyMutationInput,
) {
  await services.prisma.integration.updateMany({
    where: { id: integrationId, leaseOwner: services.instanceId },
    data: { ...data, leaseOwner: null, leaseUntil: null },
  })
}

function backoffMs(intervalMs: number, failures: number): number {
  const cap = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(failures, 20))
  return cap / 2 + Math.random() * (cap / 2)
}

function publishStatus(
  services: Services,
  integrationId: string,
  status: string,
  syncRunId: string,
  phase: 'STARTED' | 'FINISHED',
  outcome: SyncOutcome | null,
) {
  services.pubsub.publish('syncStatusChanged', integrationId, {
    integrationId,
    status,
    syncRunId,
    phase,
    outcome,
    at: new Date().toISOString(),
  })
  if (phase === 'FINISHED') syncFinishedChannel.publish({ integrationId, outcome } satisfies SyncFinishedEvent)
}

async function runSync(services: Services, integrationId: string, syncRunId: string): Promise<SyncRunResult> {
  const { prisma, config, logger } = services
  const log = logger.child({ integrationId, syncRunId })
  const counters: RunCounters = {
    calendarsChecked: 0,
    calendarsChanged: 0,
    objectsFetched: 0,
    objectsDeleted: 0,
    slotsWritten: 0,
    parseErrors: 0,
    errors: [],
  }
  let requestCount = 0
  let requestMs = 0
  let leaseLost = false
  const renewal = setInterval(
    () => {
      renewLease(services, integrationId)
        .then((ok) => {
          if (!ok) leaseLost = true
        })
        .catch((error: unknown) => log.warn({ err: error }, 'sync lease renewal failed'))
    },
    Math.max(1000, (config.sync.leaseSeconds * 1000) / 3),
  )
  renewal.unref()
  const assertLease = () => {
    if (leaseLost) throw new LeaseLostError(integrationId)
  }

  let outcome: SyncOutcome = 'SUCCESS'
  let fatal: unknown = null
  let retryAfterMs = 0
  let anyUnavailable = false
  let slotsChanged = false
  const range = new ChangedRange()
  let integrationStatus = 'CONNECTED'
  let userId: string | null = null

  try {
    const integration = await prisma.integration.findUniqueOrThrow({
      where: { id: integrationId },
      include: {
        user: { select: { email: true, timeZone: true } },
        linkedCalendar: { include: { calendar: true } },
        conflictCalendars: { include: { calendar: true } },
      },
    })
    userId = integration.userId
    integrationStatus = integration.status
    publishStatus(services, integrationId, integration.status, syncRunId, 'STARTED', null)

    const owner = { userId: integration.userId, subaccountId: integration.subaccountId }
    const window = computeWindow(config)
    const expand = {
      windowStart: window.start,
      windowEnd: window.end,
      defaultTimeZone: validZone(integration.user.timeZone),
      ownerEmails: [integration.appleId, integration.user.email],
    }
    const calendars = new Map<string, SyncCalendarRow>()
    for (const { calendar } of integration.conflictCalendars)
      calendars.set(calendar.id, { ...calendar, blocking: true })
    const linked = integration.linkedCalendar
    if (linked && !calendars.has(linked.calendarId)) {
      // The linked calendar is always synced (two-way for CRM events); its other events block only if alsoConflict.
      calendars.set(linked.calendarId, { ...linked.calendar, blocking: linked.alsoConflict })
    }

    // Calendars no longer chosen as conflicts stop blocking: their iCloud slots go.
    const blockingIds = [...calendars.values()].filter((c) => c.blocking).map((c) => c.id)
    const stale = await prisma.blockedSlot.findMany({
      where: {
        userId: owner.userId,
        source: 'ICLOUD',
        calendar: { integrationId },
        calendarId: { notIn: blockingIds },
      },
      select: { id: true, start: true, end: true },
    })
    if (stale.length > 0) {
      for (const s of stale) range.add(s.start, s.end)
      await prisma.blockedSlot.deleteMany({ where: { id: { in: stale.map((s) => s.id) } } })
      slotsChanged = true
    }

    if (!sameWindow({ start: integration.windowStart, end: integration.windowEnd }, window)) {
      const moved = await reexpandIntegration(prisma, integrationId, [...calendars.values()], owner, expand, window, {
        transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
        assertLease,
      })
      if (moved.slotsChanged) slotsChanged = true
      range.merge(moved.range)
    }

    const client = createSyncClient(services, integration, (info) => {
      requestCount++
      requestMs += info.durationMs
    })
    let calendarFailures = 0
    for (const calendar of calendars.values()) {
      try {
        const result = await syncCalendar(
          {
            prisma,
            client,
            owner,
            expand,
            counters,
            batchSize: MULTIGET_BATCH,
            writeBatchSize: WRITE_BATCH,
            fetchConcurrency: MULTIGET_CONCURRENCY,
            assertLease,
            transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
            onProgress: () => progress(services, syncRunId, counters, requestCount),
          },
          calendar,
        )
        if (result.slotsChanged) slotsChanged = true
        range.merge(result.range)
      } catch (error) {
        if (
          error instanceof CalDavAuthError ||
          error instanceof CalDavRateLimitedError ||
          error instanceof LeaseLostError
        ) {
          throw error
        }
        calendarFailures++
        if (error instanceof CalDavUnavailableError) anyUnavailable = true
        const message = errorMessage(error)
        counters.errors.push({ calendarId: calendar.id, message })
        log.warn({ err: error, calendarId: calendar.id }, 'calendar sync failed')
        await prisma.calendar.update({
          where: { id: calendar.id },
          data: { lastError: message.slice(0, 1000), lastCheckedAt: new Date() },
        })
      }
    }
    if (calendarFailures > 0 && calendarFailures === calendars.size) outcome = 'FAILED'
    else if (calendarFailures > 0 || counters.parseErrors > 0) outcome = 'PARTIAL'
  } catch (error) {
    fatal = error
    counters.errors.push({ message: errorMessage(error) })
    if (error instanceof CalDavAuthError) outcome = 'AUTH_FAILED'
    else if (error instanceof CalDavRateLimitedError) {
      outcome = 'RATE_LIMITED'
      retryAfterMs = error.retryAfterMs
    } else {
      outcome = 'FAILED'
      if (!(error instanceof LeaseLostError)) log.error({ err: error }, 'sync run failed')
    }
  } finally {
    clearInterval(renewal)
  }

  // Finish: the run row, the integration's schedule and status, then the lease.
  const now = Date.now()
  const intervalMs = config.sync.intervalSeconds * 1000
  const current = await prisma.integration.findUnique({
    where: { id: integrationId },
    select: { consecutiveFailures: true, status: true },
  })
  const failed = outcome === 'FAILED' || outcome === 'RATE_LIMITED' || (outcome === 'PARTIAL' && anyUnavailable)
  const failures = failed ? (current?.consecutiveFailures ?? 0) + 1 : 0
  let data: Prisma.IntegrationUpdateManyMutationInput
  if (outcome === 'AUTH_FAILED') {
    integrationStatus = 'NEEDS_REAUTH'
    data = {
      status: 'NEEDS_REAUTH',
      lastError: `iCloud refused the password (it may have been revoked). Reconnect the integration. ${APP_SPECIFIC_PASSWORD_HINT}`,
      consecutiveFailures: failures,
    }
  } else if (fatal instanceof LeaseLostError) {
    data = {}
  } else if (failed) {
    const wait = Math.max(retryAfterMs, backoffMs(intervalMs, failures - 1))
    integrationStatus = failures >= ERROR_AFTER_FAILURES ? 'ERROR' : (current?.status ?? 'CONNECTED')
    data = {
      status: integrationStatus as 'ERROR' | 'CONNECTED',
      lastError: (counters.errors[counters.errors.length - 1]?.message ?? 'Sync failed').slice(0, 1000),
      consecutiveFailures: failures,
      nextSyncAt: new Date(now + wait),
    }
  } else {
    integrationStatus = 'CONNECTED'
    data = {
      status: 'CONNECTED',
      lastError: null,
      lastSyncedAt: new Date(now),
      consecutiveFailures: 0,
      nextSyncAt: new Date(now + intervalMs),
    }
  }
  await prisma.syncRun.update({
    where: { id: syncRunId },
    data: {
      outcome,
      finishedAt: new Date(),
      ...countersData(counters, requestCount),
      errors: counters.errors.length > 0 ? counters.errors.slice(0, 200) : undefined,
    },
  })
  await releaseLease(services, integrationId, data)
  publishStatus(services, integrationId, integrationStatus, syncRunId, 'FINISHED', outcome)
  if (slotsChanged && userId) await notifyBusyTimeChanged(services, [userId], range.toRange(), 'sync')
  log.info({ outcome, ...countersData(counters, requestCount) }, 'sync run finished')
  return { syncRunId, outcome, counters, requestCount, requestMs, slotsChanged }
}

function countersData(counters: RunCounters, requestCount: number) {
  return {
    calendarsChecked: counters.calendarsChecked,
    calendarsChanged: counters.calendarsChanged,
    objectsFetched: counters.objectsFetched,
    objectsDeleted: counters.objectsDeleted,
    slotsWritten: counters.slotsWritten,
    parseErrors: counters.parseErrors,
    requestCount,
  }
}

async function progress(services: Services, syncRunId: string, counters: RunCounters, requestCount: number) {
  await services.prisma.syncRun.update({ where: { id: syncRunId }, data: countersData(counters, requestCount) })
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function validZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return zone
  } catch {
    return 'UTC'
  }
}
