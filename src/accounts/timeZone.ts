// A user's time zone: the zone of their floating and all-day iCloud events and, for CRM calendar memberships that
// follow it, of their working hours. A change re-expands their stored iCalendar data in the new zone.
import type { Services } from '../app/services.ts'
import { notifyCalendarChanged } from '../realtime/notify.ts'
import { startIntegrationSync } from '../sync/index.ts'

/**
 * Sets the user's zone. Memberships whose working-hours zone was the old user zone follow the user; ones set to
 * another zone on purpose keep it. Each integration is synced at once in the background: the sync engine sees the
 * window was expanded in another zone (Integration.windowTimeZone) and re-expands every stored event, no CalDAV
 * download needed. A busy integration is picked up by the next tick (nextSyncAt is now).
 */
export async function changeUserTimeZone(
  services: Services,
  userId: string,
  timeZone: string,
): Promise<{ changed: boolean }> {
  const { prisma } = services
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { timeZone: true } })
  if (user.timeZone === timeZone) return { changed: false }
  const following = { userId, timeZone: user.timeZone }
  const { calendars, integrations } = await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { timeZone } })
    const members = await tx.crmCalendarMember.findMany({ where: following, select: { calendarId: true } })
    await tx.crmCalendarMember.updateMany({ where: following, data: { timeZone } })
    await tx.integration.updateMany({ where: { userId }, data: { nextSyncAt: new Date() } })
    const owned = await tx.integration.findMany({ where: { userId }, select: { id: true } })
    return { calendars: members.map((m) => m.calendarId), integrations: owned.map((i) => i.id) }
  })
  for (const calendarId of calendars) notifyCalendarChanged(services, calendarId, 'member time zone changed')
  for (const integrationId of integrations) {
    startIntegrationSync(services, integrationId, 'CONFIGURE').catch((error: unknown) =>
      services.logger.warn({ err: error, integrationId }, 'sync after a time zone change failed to start'),
    )
  }
  return { changed: true }
}
