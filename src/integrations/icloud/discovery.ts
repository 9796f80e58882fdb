// Log in, find the principal and the calendar home (on iCloud a partition host other than the entry host) and list
// every collection of the home. Never called inside a database transaction.
import type { CalDavClient, RemoteCalendar } from '../../caldav/index.ts'
import type { Prisma } from '../../generated/prisma/client.ts'
import { toUserFacingError } from './credentials.ts'

export interface DiscoveredAccount {
  principalUrl: string
  homeUrl: string
  calendars: RemoteCalendar[]
}

/** Throws InvalidCredentialsError or ICloudUnavailableError for the expected failures. */
export async function discoverAccount(client: CalDavClient): Promise<DiscoveredAccount> {
  try {
    const { principalUrl, homeUrl } = await client.discover()
    const calendars = await client.listCalendars()
    return { principalUrl, homeUrl, calendars }
  } catch (error) {
    throw toUserFacingError(error)
  }
}

/** The columns discovery owns; sync state (ctag, syncToken, lastSyncedAt) belongs to the sync engine. */
export function calendarColumns(calendar: RemoteCalendar, checkedAt: Date) {
  return {
    url: calendar.url,
    displayName: calendar.displayName,
    color: calendar.color,
    kind: calendar.kind,
    components: calendar.components,
    writable: calendar.writable,
    shared: calendar.shared,
    subscribed: calendar.subscribed,
    sourceUrl: calendar.sourceUrl,
    lastCheckedAt: checkedAt,
  } satisfies Omit<Prisma.CalendarUncheckedCreateInput, 'integrationId' | 'path'>
}
