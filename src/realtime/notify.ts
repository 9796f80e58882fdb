// Fans a change in someone's busy time out to every subscriber it affects: the user's blocked-slot feed and the
// availability of every CRM calendar they are a member of.
import type { Services } from '../app/services.ts'

export interface TimeRange {
  from: Date | null
  to: Date | null
}

export async function notifyBusyTimeChanged(
  services: Pick<Services, 'prisma' | 'pubsub'>,
  userIds: Iterable<string>,
  range: TimeRange,
  reason: string,
): Promise<void> {
  const users = [...new Set(userIds)]
  if (users.length === 0) return
  const at = new Date().toISOString()
  for (const userId of users) {
    services.pubsub.publish('blockedSlotsChanged', userId, {
      userId,
      from: range.from?.toISOString() ?? null,
      to: range.to?.toISOString() ?? null,
      at,
    })
  }
  const memberships = await services.prisma.crmCalendarMember.findMany({
    where: { userId: { in: users } },
    select: { calendarId: true },
    distinct: ['calendarId'],
  })
  for (const { calendarId } of memberships) notifyCalendarChanged(services, calendarId, reason)
}

/** A change to the CRM calendar itself: settings, members, working hours, overrides, appointments. */
export function notifyCalendarChanged(services: Pick<Services, 'pubsub'>, calendarId: string, reason: string): void {
  services.pubsub.publish('availabilityChanged', calendarId, { calendarId, reason, at: new Date().toISOString() })
}
