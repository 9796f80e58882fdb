// Rediscover the calendar home: new collections appear, changed ones are updated by path, removed ones disappear
// together with their linked/conflict configuration, objects and blocked slots.
import type { Services } from '../../app/services.ts'
import type { RemoteCalendar } from '../../caldav/index.ts'
import type { Integration, Prisma } from '../../generated/prisma/client.ts'
import { notifyBusyTimeChanged } from '../../realtime/notify.ts'
import { createICloudClient, storedLogin } from './caldavSession.ts'
import { calendarColumns, discoverAccount } from './discovery.ts'
import { InvalidCredentialsError } from './errors.ts'
import { recordIntegrationStatus } from '../../webhooks/hooks.ts'
import { kickWebhooks } from '../../webhooks/worker.ts'

export interface CalendarChanges {
  added: string[]
  /** Display names of the calendars that no longer exist in iCloud. */
  removed: string[]
  linkedCalendarRemoved: boolean
  /** Some removed calendar was a conflict calendar: its blocked slots are gone. */
  conflictCalendarRemoved: boolean
}

export interface RefreshResult extends CalendarChanges {
  integration: Integration
}

/** Upserts by (integrationId, path) and deletes what discovery no longer lists. Call inside a transaction. */
export async function applyDiscoveredCalendars(
  tx: Prisma.TransactionClient,
  integrationId: string,
  calendars: RemoteCalendar[],
  checkedAt: Date,
): Promise<CalendarChanges> {
  const existing = await tx.calendar.findMany({
    where: { integrationId },
    select: {
      id: true,
      path: true,
      displayName: true,
      linkedBy: { select: { id: true } },
      conflictBy: { select: { id: true } },
    },
  })
  const known = new Set(existing.map((calendar) => calendar.path))
  const found = new Set(calendars.map((calendar) => calendar.path))
  for (const calendar of calendars) {
    const columns = calendarColumns(calendar, checkedAt)
    await tx.calendar.upsert({
      where: { integrationId_path: { integrationId, path: calendar.path } },
      create: { integrationId, path: calendar.path, ...columns },
      update: columns,
    })
  }
  const gone = existing.filter((calendar) => !found.has(calendar.path))
  if (gone.length > 0) await tx.calendar.deleteMany({ where: { id: { in: gone.map((calendar) => calendar.id) } } })
  return {
    added: calendars.filter((calendar) => !known.has(calendar.path)).map((calendar) => calendar.displayName),
    removed: gone.map((calendar) => calendar.displayName),
    linkedCalendarRemoved: gone.some((calendar) => calendar.linkedBy !== null),
    conflictCalendarRemoved: gone.some((calendar) => calendar.conflictBy !== null),
  }
}

export async function refreshCalendars(services: Services, integration: Integration): Promise<RefreshResult> {
  let account
  try {
    account = await discoverAccount(createICloudClient(services, storedLogin(services, integration), 'interactive'))
  } catch (error) {
    if (error instanceof InvalidCredentialsError) await markNeedsReauth(services, integration.id)
    throw error
  }
  const now = new Date()
  const { changes, updated } = await services.prisma.$transaction(async (tx) => {
    const changes = await applyDiscoveredCalendars(tx, integration.id, account.calendars, now)
    // The home can move to another partition host; calendars are identified by path, the URLs are a cache.
    const updated = await tx.integration.update({
      where: { id: integration.id },
      data: { principalUrl: account.principalUrl, homeUrl: account.homeUrl },
    })
    return { changes, updated }
  })
  if (changes.conflictCalendarRemoved) {
    await notifyBusyTimeChanged(services, [integration.userId], { from: null, to: null }, 'iCloud calendar removed')
  }
  services.logger.info(
    { integrationId: integration.id, added: changes.added.length, removed: changes.removed.length },
    'iCloud calendars refreshed',
  )
  return { integration: updated, ...changes }
}

/** iCloud refused the stored password (revoked): the user has to reconnect. */
async function markNeedsReauth(services: Services, integrationId: string): Promise<void> {
  await services.prisma.$transaction(async (tx) => {
    const previous = await tx.integration.findUniqueOrThrow({ where: { id: integrationId }, select: { status: true } })
    const updated = await tx.integration.update({
      where: { id: integrationId },
      data: {
        status: 'NEEDS_REAUTH',
        lastError: 'iCloud refused the stored app-specific password; reconnect with a new one.',
      },
    })
    await recordIntegrationStatus(tx, updated, previous.status, 'NEEDS_REAUTH')
  })
  kickWebhooks(services)
}
