// Which calendars a run syncs, and how their events are expanded: the conflict calendars (blocking) and the linked
// calendar (two-way for CRM events; blocking only if alsoConflict).
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'
import type { SyncCalendarRow } from './calendarSync.ts'
import type { ChangedRange, ExpandContext } from './objectSlots.ts'
import type { SyncWindow } from './window.ts'
import { isValidTimeZone } from '../time/zoneOffsets.ts'

export const INTEGRATION_FOR_SYNC = {
  user: { select: { email: true, timeZone: true } },
  linkedCalendar: { include: { calendar: true } },
  conflictCalendars: { include: { calendar: true } },
} satisfies Prisma.IntegrationInclude

export type IntegrationForSync = Prisma.IntegrationGetPayload<{ include: typeof INTEGRATION_FOR_SYNC }>

export function calendarsToSync(integration: IntegrationForSync): SyncCalendarRow[] {
  const calendars = new Map<string, SyncCalendarRow>()
  for (const { calendar } of integration.conflictCalendars) calendars.set(calendar.id, { ...calendar, blocking: true })
  const linked = integration.linkedCalendar
  if (linked && !calendars.has(linked.calendarId)) {
    calendars.set(linked.calendarId, { ...linked.calendar, blocking: linked.alsoConflict })
  }
  return [...calendars.values()]
}

export function expandContext(window: SyncWindow, integration: IntegrationForSync): ExpandContext {
  return {
    windowStart: window.start,
    windowEnd: window.end,
    defaultTimeZone: userZone(integration.user.timeZone),
    ownerEmails: [integration.appleId, integration.user.email],
  }
}

/** Calendars no longer chosen as conflicts stop blocking: their iCloud slots go. True when some went. */
export async function dropSlotsOfUnchosenCalendars(
  prisma: PrismaClient,
  integration: IntegrationForSync,
  calendars: SyncCalendarRow[],
  range: ChangedRange,
): Promise<boolean> {
  const blockingIds = calendars.filter((c) => c.blocking).map((c) => c.id)
  const stale = await prisma.blockedSlot.findMany({
    where: {
      userId: integration.userId,
      source: 'ICLOUD',
      calendar: { integrationId: integration.id },
      calendarId: { notIn: blockingIds },
    },
    select: { id: true, start: true, end: true },
  })
  if (stale.length === 0) return false
  for (const s of stale) range.add(s.start, s.end)
  await prisma.blockedSlot.deleteMany({ where: { id: { in: stale.map((s) => s.id) } } })
  return true
}

/** The zone floating and all-day events are expanded in: the user's, UTC when the runtime does not know it. */
// isValidTimeZone remembers known zones: checking builds an Intl formatter, once per integration and tick otherwise.
export const userZone = (zone: string): string => (isValidTimeZone(zone) ? zone : 'UTC')
