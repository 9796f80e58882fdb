// Events the engine stores but cannot read (CalendarObject.parseError): they block nothing, so the user must be told.
// The row is replaced when the resource changes in iCloud (parsed again) and deleted when it goes, so "unreadable"
// lasts exactly as long as the resource stays as it is.
import type { IntegrationStatus } from '../generated/prisma/enums.ts'
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'

export const UNREADABLE = { parseError: { not: null } } satisfies Prisma.CalendarObjectWhereInput

export interface UnreadableCount {
  calendar: string
  count: number
}

/** Unreadable events per synced calendar of the integration, by display name. */
export async function countUnreadableEvents(prisma: PrismaClient, integrationId: string): Promise<UnreadableCount[]> {
  const calendars = await prisma.calendar.findMany({
    where: { integrationId, objects: { some: UNREADABLE } },
    select: { displayName: true, _count: { select: { objects: { where: UNREADABLE } } } },
    orderBy: { displayName: 'asc' },
  })
  return calendars.map((c) => ({ calendar: c.displayName, count: c._count.objects }))
}

const STATUS_TEXT: Record<IntegrationStatus, string> = {
  CONNECTED: 'Connected and syncing.',
  ERROR: 'Syncing fails.',
  NEEDS_REAUTH: 'iCloud no longer accepts the password: reconnect the integration.',
  DISCONNECTED: 'Disconnected.',
}

/** One paragraph for the user: the status, the last error, and the events that are being ignored. */
export function integrationStatusText(
  status: IntegrationStatus,
  lastError: string | null,
  unreadable: UnreadableCount[],
): string {
  const parts = [lastError && status !== 'CONNECTED' ? lastError : STATUS_TEXT[status]]
  const total = unreadable.reduce((sum, u) => sum + u.count, 0)
  if (total > 0) {
    const where = unreadable.map((u) => `${u.count} in "${u.calendar}"`).join(', ')
    parts.push(
      `${total} ${total === 1 ? 'event cannot be read and is' : 'events cannot be read and are'} ignored ` +
        `(${where}): they do not block time until they are fixed or deleted in iCloud.`,
    )
  }
  return parts.join(' ')
}
