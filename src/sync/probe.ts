// The tick's check of one claimed integration: list every calendar's changes since its token (in parallel, one
// request each). Nothing changed, the usual case, is recorded without a SyncRun started up front and in a batch with
// other unchanged integrations (unchangedRuns.ts); anything else goes on as a full run that reuses these listings.
import type { SyncServices as Services } from './ports.ts'
import { CalDavAuthError, CalDavRateLimitedError, type CalDavClient } from '../caldav/index.ts'
import { forEachBounded } from './bounded.ts'
import { createICloudClient, storedLogin } from '../integrations/icloud/caldavSession.ts'
import { countRequest, type RequestTally } from './requestTally.ts'
import { userZone } from './calendarSet.ts'
import type { IntegrationToCheck } from './checkBatch.ts'
import { listChanges, type ProbedListing, type SyncCalendarRow } from './calendarSync.ts'
import { computeWindow, sameWindow } from './window.ts'

/** What a full run takes over from the check: the client (its home-moved state), its requests, its listings. */
export interface ProbeHandoff {
  client: CalDavClient
  requests: RequestTally
  probed: Map<string, ProbedListing>
}

export interface UnchangedCheck {
  calendars: { id: string; syncToken: string | null; tokenListed: boolean }[]
  requests: RequestTally
}

export type CheckResult = { unchanged: UnchangedCheck } | { handoff: ProbeHandoff | undefined }

/**
 * Only an integration whose every calendar has a token (or ctag) of ours can be checked this cheaply; a new calendar,
 * a moved window or slots of calendars no longer chosen need the full run's other steps.
 */
export function checkable(services: Pick<Services, 'config'>, integration: IntegrationToCheck) {
  if (integration.staleSlots) return false
  // Any other status goes through the full run, which reports the change (webhooks) in the same transaction.
  if (integration.status !== 'CONNECTED') return false
  const window = computeWindow(services.config)
  if (!sameWindow({ start: integration.windowStart, end: integration.windowEnd }, window)) return false
  // The user's zone changed: floating and all-day events are re-expanded by the full run.
  if (integration.windowTimeZone !== userZone(integration.userTimeZone)) return false
  const { calendars } = integration
  return calendars.length > 0 && calendars.every((c) => c.lastSyncedAt !== null && (c.syncToken || c.ctag))
}

export async function checkIntegration(services: Services, integration: IntegrationToCheck): Promise<CheckResult> {
  const requests: RequestTally = { count: 0, ms: 0 }
  const client = createICloudClient(services, storedLogin(services, integration), 'sync', countRequest(requests))
  const { calendars } = integration
  const probed = new Map<string, ProbedListing>()
  await forEachBounded(calendars, services.config.sync.calendarConcurrency, async (calendar) => {
    try {
      probed.set(calendar.id, { listing: await listChanges(client, calendar) })
    } catch (error) {
      probed.set(calendar.id, { error })
      // The password or iCloud's throttling concern every calendar: ask no more.
      if (error instanceof CalDavAuthError || error instanceof CalDavRateLimitedError) throw error
    }
  }).catch(() => {})
  const unchanged = unchangedCalendars(calendars, probed)
  if (unchanged && !client.homeMovedPermanently) return { unchanged: { calendars: unchanged, requests } }
  return { handoff: { client, requests, probed } }
}

function unchangedCalendars(calendars: SyncCalendarRow[], probed: Map<string, ProbedListing>) {
  const out: UnchangedCheck['calendars'] = []
  for (const calendar of calendars) {
    const result = probed.get(calendar.id)
    if (!result || 'error' in result) return null
    const { listing } = result
    if (listing === 'unchanged') {
      out.push({ id: calendar.id, syncToken: calendar.syncToken, tokenListed: false })
      continue
    }
    if (listing.complete || listing.changed.length > 0 || listing.deleted.length > 0) return null
    out.push({ id: calendar.id, syncToken: listing.syncToken ?? calendar.syncToken, tokenListed: true })
  }
  return out
}
