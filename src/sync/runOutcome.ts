// How a sync run ends, and what that means for the integration: its status, its message to the user and when it is
// tried next. The policy is described at the top of syncIntegration.ts.
import {
  APP_SPECIFIC_PASSWORD_HINT,
  CalDavAuthError,
  CalDavRateLimitedError,
  CalDavUnavailableError,
} from '../caldav/index.ts'
import type { IntegrationStatus, SyncOutcome } from '../generated/prisma/enums.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import { HomeLostError } from './homeRelocation.ts'
import { LeaseLostError } from './lease.ts'

const ERROR_AFTER_FAILURES = 5
const MAX_BACKOFF_MS = 60 * 60 * 1000

export interface RunEnd {
  outcome: SyncOutcome
  /** The error that ended the run early, if any. */
  fatal: unknown
  /** Server's Retry-After (RATE_LIMITED). */
  retryAfterMs: number
  /** Some calendar failed for a network/server reason: counts as a failure for the back-off. */
  anyUnavailable: boolean
}

/** The end of a run whose every calendar was tried; `errors` are the calendars that failed. */
export function endOfCalendars(errors: unknown[], calendarCount: number, parseErrors: number): RunEnd {
  const failed = errors.length
  let outcome: SyncOutcome = 'SUCCESS'
  if (failed > 0 && failed === calendarCount) outcome = 'FAILED'
  else if (failed > 0 || parseErrors > 0) outcome = 'PARTIAL'
  const anyUnavailable = errors.some((e) => e instanceof CalDavUnavailableError)
  return { outcome, fatal: null, retryAfterMs: 0, anyUnavailable }
}

/** The end of a run stopped by an error that concerns the whole integration. */
export function endOfFatal(error: unknown): RunEnd {
  const end: RunEnd = { outcome: 'FAILED', fatal: error, retryAfterMs: 0, anyUnavailable: false }
  if (error instanceof CalDavAuthError) end.outcome = 'AUTH_FAILED'
  else if (error instanceof CalDavRateLimitedError) {
    end.outcome = 'RATE_LIMITED'
    end.retryAfterMs = error.retryAfterMs
  }
  return end
}

/** A failure nobody expects (not the server's doing): worth an error log. */
export const isUnexpected = (end: RunEnd): boolean =>
  end.outcome === 'FAILED' &&
  end.fatal !== null &&
  !(end.fatal instanceof LeaseLostError) &&
  !(end.fatal instanceof HomeLostError)

export interface AfterRun {
  /** The integration's status after the run; null when this process lost the lease and changes nothing. */
  status: IntegrationStatus | null
  data: Prisma.IntegrationUpdateManyMutationInput
}

/** Status, message and next attempt of the integration after a run (`current`: its row before the update). */
export function integrationAfterRun(
  end: RunEnd,
  current: { consecutiveFailures: number; status: IntegrationStatus } | null,
  lastErrorMessage: string | undefined,
  intervalMs: number,
  now = Date.now(),
  /** When a successful run comes back (schedule.ts: attention and idle back-off). */
  successDelayMs = intervalMs,
): AfterRun {
  const { outcome, fatal } = end
  const failed = outcome === 'FAILED' || outcome === 'RATE_LIMITED' || (outcome === 'PARTIAL' && end.anyUnavailable)
  const failures = failed ? (current?.consecutiveFailures ?? 0) + 1 : 0
  if (outcome === 'AUTH_FAILED') {
    const lastError = `iCloud refused the password (it may have been revoked). Reconnect the integration. ${APP_SPECIFIC_PASSWORD_HINT}`
    return { status: 'NEEDS_REAUTH', data: { status: 'NEEDS_REAUTH', lastError, consecutiveFailures: failures } }
  }
  if (fatal instanceof LeaseLostError) return { status: null, data: {} }
  if (!failed) {
    const data = { lastError: null, lastSyncedAt: new Date(now), consecutiveFailures: 0, rateLimitedUntil: null }
    return { status: 'CONNECTED', data: { ...data, status: 'CONNECTED', nextSyncAt: new Date(now + successDelayMs) } }
  }
  const wait = Math.max(end.retryAfterMs, backoffMs(intervalMs, failures - 1))
  // A lost home needs the user at once; other failures become ERROR only when they persist.
  const error = failures >= ERROR_AFTER_FAILURES || fatal instanceof HomeLostError
  const status = error ? 'ERROR' : (current?.status ?? 'CONNECTED')
  const lastError = (lastErrorMessage ?? 'Sync failed').slice(0, 1000)
  const data = { status, lastError, consecutiveFailures: failures, nextSyncAt: new Date(now + wait) }
  // iCloud's word binds every path (syncNow, the booking re-check), not only the next tick.
  if (outcome === 'RATE_LIMITED')
    return { status, data: { ...data, rateLimitedUntil: new Date(now + end.retryAfterMs) } }
  return { status, data }
}

function backoffMs(intervalMs: number, failures: number): number {
  const cap = Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** Math.min(failures, 20))
  return cap / 2 + Math.random() * (cap / 2)
}
