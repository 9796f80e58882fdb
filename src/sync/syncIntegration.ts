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
//   and the failing calendar keeps its last known slots (peers drop them). A cut-off answer is such a failure: the
//   calendar's token stays, so the next run is told about the same changes again.
// - Every calendar answering 404/410 (or the home 301 to another host) means iCloud moved the account to another
//   partition host: discovery again, calendars re-mapped by path (homeRelocation.ts), the failed ones synced again.
//   When discovery fails the status is ERROR at once, with a message telling the user what to do.
import type { SyncServices as Services } from './ports.ts'
import { CalDavAuthError, CalDavRateLimitedError, type CalDavClient } from '../caldav/index.ts'
import type { IntegrationStatus, SyncOutcome, SyncTrigger } from '../generated/prisma/enums.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import { notifyBusyTimeChanged } from '../realtime/notify.ts'
import { createICloudClient, storedLogin } from '../integrations/icloud/caldavSession.ts'
import { countRequest, type RequestTally } from './requestTally.ts'
import {
  calendarsToSync,
  dropSlotsOfUnchosenCalendars,
  expandContext,
  INTEGRATION_FOR_SYNC,
  type IntegrationForSync,
} from './calendarSet.ts'
import { syncCalendar, type CalendarSyncContext, type RunCounters, type SyncCalendarRow } from './calendarSync.ts'
import { forEachBounded } from './bounded.ts'
import { nextCheckDelayMs } from './schedule.ts'
import { homeLooksMoved, relocateHome } from './homeRelocation.ts'
import { claimIntegration, keepLease, LeaseLostError } from './lease.ts'
import { ChangedRange } from './objectSlots.ts'
import type { ProbeHandoff } from './probe.ts'
import { endOfCalendars, endOfFatal, integrationAfterRun, isUnexpected, type RunEnd } from './runOutcome.ts'
import { computeWindow, sameWindow } from './window.ts'
import { reexpandIntegration } from './windowMaintenance.ts'
import { syncFinishedChannel, type SyncFinishedEvent } from './syncEvents.ts'

const TRANSACTION_TIMEOUT_MS = 120_000
const MULTIGET_BATCH = 100
/** Objects per write transaction during a sync: five multiget batches. */
export const WRITE_BATCH = 500
/**
 * Multigets in flight per calendar during a large sync. Two keep the server busy while a batch is stored; iCloud
 * answers 503 to clients that open many parallel requests per account, so it stays small.
 */
const MULTIGET_CONCURRENCY = 2

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
  /** iCloud's Retry-After has not passed: no request before retryAt. */
  | { started: false; reason: 'RATE_LIMITED'; retryAt: Date }

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

export function track<T>(services: Pick<Services, 'instanceId'>, promise: Promise<T>): Promise<T> {
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
  const found = await services.prisma.integration.findUnique({
    where: { id: integrationId },
    select: { status: true, rateLimitedUntil: true },
  })
  if (!found) return { started: false, reason: 'NOT_FOUND' }
  if (found.status === 'NEEDS_REAUTH' || found.status === 'DISCONNECTED')
    return { started: false, reason: 'NOT_CONNECTED' }
  if (found.rateLimitedUntil && found.rateLimitedUntil.getTime() > Date.now())
    return { started: false, reason: 'RATE_LIMITED', retryAt: found.rateLimitedUntil }
  if (!(await claimIntegration(services, integrationId))) return { started: false, reason: 'BUSY' }
  return startClaimed(services, integrationId, trigger)
}

/** For an integration whose lease this process holds. */
export async function startClaimed(
  services: Services,
  integrationId: string,
  trigger: SyncTrigger,
  options: { handoff?: ProbeHandoff; untracked?: boolean } = {},
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
  const running = services.crmEvents.withEffects(services, () =>
    runSync(services, integrationId, run.id, options.handoff),
  )
  // A run handed over by a tick's check is already counted in flight as that check.
  const done = options.untracked ? running : track(services, running)
  return { started: true, syncRunId: run.id, done }
}

async function releaseLease(
  services: Services,
  integrationId: string,
  data: Prisma.IntegrationUpdateManyMutationInput,
  previous?: { status: IntegrationStatus; subaccountId: string } | null,
) {
  const release = (db: Prisma.TransactionClient) =>
    db.integration.updateMany({
      where: { id: integrationId, leaseOwner: services.instanceId },
      data: { ...data, leaseOwner: null, leaseUntil: null },
    })
  const next = data.status as IntegrationStatus | undefined
  if (!previous || !next || next === previous.status) return void (await release(services.prisma))
  // A status change is reported (webhooks) in the transaction that makes it.
  await services.prisma.$transaction(async (tx) => {
    if ((await release(tx)).count > 0) {
      await services.integrationEvents.statusChanged(tx, { id: integrationId, ...previous }, next)
    }
  })
  services.integrationEvents.afterCommit(services)
}

type StatusOf = Pick<Run, 'integrationId' | 'syncRunId' | 'status'>

/** What one run has done so far: shared by its steps. */
interface Run {
  integrationId: string
  syncRunId: string
  counters: RunCounters
  requests: RequestTally
  slotsChanged: boolean
  range: ChangedRange
  /** The integration's status as last published. */
  status: IntegrationStatus
  userId: string | null
}

type Log = Services['logger']

/** One run, top-down: sync every calendar (holding the lease), classify how it ended, record it, tell subscribers. */
async function runSync(
  services: Services,
  integrationId: string,
  syncRunId: string,
  handoff: ProbeHandoff | undefined,
): Promise<SyncRunResult> {
  const log = services.logger.child({ integrationId, syncRunId })
  const run: Run = {
    integrationId,
    syncRunId,
    counters: newCounters(),
    requests: handoff?.requests ?? { count: 0, ms: 0 },
    slotsChanged: false,
    range: new ChangedRange(),
    status: 'CONNECTED',
    userId: null,
  }
  const lease = keepLease(services, integrationId, (error) => log.warn({ err: error }, 'sync lease renewal failed'))
  let end: RunEnd
  try {
    end = await syncAllCalendars(services, run, lease.assert, log, handoff)
  } catch (error) {
    end = endOfFatal(error)
    run.counters.errors.push({ message: errorMessage(error) })
    if (isUnexpected(end)) log.error({ err: error }, 'sync run failed')
  } finally {
    lease.stop()
  }
  await finishRun(services, run, end)
  log.info({ outcome: end.outcome, ...countersData(run.counters, run.requests.count) }, 'sync run finished')
  const { counters, requests, slotsChanged } = run
  return {
    syncRunId,
    outcome: end.outcome,
    counters,
    requestCount: requests.count,
    requestMs: requests.ms,
    slotsChanged,
  }
}

async function syncAllCalendars(
  services: Services,
  run: Run,
  assertLease: () => void,
  log: Log,
  handoff: ProbeHandoff | undefined,
): Promise<RunEnd> {
  const { prisma, config } = services
  const integration = await prisma.integration.findUniqueOrThrow({
    where: { id: run.integrationId },
    include: INTEGRATION_FOR_SYNC,
  })
  run.userId = integration.userId
  run.status = integration.status
  publishStatus(services, run, 'STARTED', null)

  const window = computeWindow(config)
  const expand = expandContext(window, integration)
  const calendars = calendarsToSync(integration)
  if (await dropSlotsOfUnchosenCalendars(prisma, integration, calendars, run.range)) run.slotsChanged = true
  // Re-expand when the window moved or the user's zone changed (floating and all-day events are in their zone).
  const zoneChanged = integration.windowTimeZone !== expand.defaultTimeZone
  if (zoneChanged || !sameWindow({ start: integration.windowStart, end: integration.windowEnd }, window)) {
    const owner = { userId: integration.userId, subaccountId: integration.subaccountId }
    const moved = await reexpandIntegration(prisma, integration.id, calendars, owner, expand, window, {
      transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
      assertLease,
    })
    if (moved.slotsChanged) run.slotsChanged = true
    run.range.merge(moved.range)
  }

  const client =
    handoff?.client ??
    createICloudClient(services, storedLogin(services, integration), 'sync', countRequest(run.requests))
  const ctx = calendarContext(services, run, integration, client, expand, assertLease)
  ctx.probed = handoff?.probed
  let failures = await syncEach(ctx, calendars, run, config.sync.calendarConcurrency)
  const errors = failures.map((f) => f.error)
  if (
    homeLooksMoved(client, errors, calendars.length) &&
    (await relocateHome(prisma, client, integration, calendars))
  ) {
    log.info({ homeUrl: integration.homeUrl }, 'calendar home moved; calendars re-mapped')
    failures = await syncEach(
      ctx,
      failures.map((f) => f.calendar),
      run,
      config.sync.calendarConcurrency,
    )
  }
  await recordCalendarFailures(services, failures, run.counters, log)
  return endOfCalendars(
    failures.map((f) => f.error),
    calendars.length,
    run.counters.parseErrors,
  )
}

function calendarContext(
  services: Services,
  run: Run,
  integration: IntegrationForSync,
  client: CalDavClient,
  expand: CalendarSyncContext['expand'],
  assertLease: () => void,
): CalendarSyncContext {
  return {
    prisma: services.prisma,
    client,
    owner: { userId: integration.userId, subaccountId: integration.subaccountId },
    expand,
    counters: run.counters,
    batchSize: MULTIGET_BATCH,
    writeBatchSize: WRITE_BATCH,
    fetchConcurrency: MULTIGET_CONCURRENCY,
    assertLease,
    transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
    onProgress: () => progress(services, run.syncRunId, run.counters, run.requests.count),
    crmEvents: services.crmEvents,
  }
}

interface CalendarFailure {
  calendar: SyncCalendarRow
  error: unknown
}

/**
 * Syncs the calendars, `calendarConcurrency` at once (each is a round trip to iCloud); one failing calendar does not
 * stop the others. Errors about the whole integration (password, throttling, lost lease) end the run: no further
 * calendar starts, the ones in flight finish, then the error is thrown.
 */
async function syncEach(
  ctx: CalendarSyncContext,
  calendars: SyncCalendarRow[],
  run: Run,
  calendarConcurrency: number,
): Promise<CalendarFailure[]> {
  const failures: (CalendarFailure | undefined)[] = []
  await forEachBounded(calendars, calendarConcurrency, async (calendar, index) => {
    try {
      const result = await syncCalendar(ctx, calendar)
      if (result.slotsChanged) run.slotsChanged = true
      run.range.merge(result.range)
    } catch (error) {
      if (endsTheRun(error)) throw error
      failures[index] = { calendar, error }
    }
  })
  return failures.filter((f): f is CalendarFailure => f !== undefined)
}

const endsTheRun = (error: unknown) =>
  error instanceof CalDavAuthError || error instanceof CalDavRateLimitedError || error instanceof LeaseLostError

/** A failed calendar keeps its last known slots; its error is on the run and on the calendar. */
async function recordCalendarFailures(
  services: Services,
  failures: CalendarFailure[],
  counters: RunCounters,
  log: Log,
): Promise<void> {
  for (const { calendar, error } of failures) {
    const message = errorMessage(error)
    counters.errors.push({ calendarId: calendar.id, message })
    log.warn({ err: error, calendarId: calendar.id }, 'calendar sync failed')
    await services.prisma.calendar.update({
      where: { id: calendar.id },
      // lastCheckedAt stays: it bounds how fresh the calendar's slots are (Availability.freshAsOf).
      data: { lastError: message.slice(0, 1000) },
    })
  }
}

/** The run row, the integration's schedule and status, then the lease; then subscribers hear about it. */
async function finishRun(services: Services, run: Run, end: RunEnd): Promise<void> {
  const { prisma, config } = services
  const current = await prisma.integration.findUnique({
    where: { id: run.integrationId },
    select: { consecutiveFailures: true, status: true, subaccountId: true, attentionUntil: true, quietRuns: true },
  })
  const lastError = run.counters.errors[run.counters.errors.length - 1]?.message
  const quietRuns = run.counters.calendarsChanged === 0 && !run.slotsChanged ? (current?.quietRuns ?? 0) + 1 : 0
  const now = Date.now()
  const delay = nextCheckDelayMs(config, { attentionUntil: current?.attentionUntil ?? null, quietRuns }, now)
  const after = integrationAfterRun(end, current, lastError, config.sync.intervalSeconds * 1000, now, delay)
  if (after.status === 'CONNECTED' && after.data.consecutiveFailures === 0) after.data.quietRuns = quietRuns
  if (after.status) run.status = after.status
  await prisma.syncRun.update({
    where: { id: run.syncRunId },
    data: {
      outcome: end.outcome,
      finishedAt: new Date(),
      ...countersData(run.counters, run.requests.count),
      errors: run.counters.errors.length > 0 ? run.counters.errors.slice(0, 200) : undefined,
    },
  })
  await releaseLease(services, run.integrationId, after.data, current)
  publishStatus(services, run, 'FINISHED', end.outcome)
  if (run.slotsChanged && run.userId) {
    await notifyBusyTimeChanged(services, [run.userId], run.range.toRange(), 'sync')
  }
}

export function publishStatus(
  services: Services,
  run: StatusOf,
  phase: 'STARTED' | 'FINISHED',
  outcome: SyncOutcome | null,
) {
  services.pubsub.publish('syncStatusChanged', run.integrationId, {
    integrationId: run.integrationId,
    status: run.status,
    syncRunId: run.syncRunId,
    phase,
    outcome,
    at: new Date().toISOString(),
  })
  if (phase === 'FINISHED')
    syncFinishedChannel.publish({ integrationId: run.integrationId, outcome } satisfies SyncFinishedEvent)
}

export function newCounters(): RunCounters {
  return {
    calendarsChecked: 0,
    calendarsChanged: 0,
    objectsFetched: 0,
    objectsDeleted: 0,
    slotsWritten: 0,
    parseErrors: 0,
    errors: [],
  }
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
