// configureICloudCalendars: exactly one linked calendar (writable event calendar: CRM appointments are written there)
// and any number of conflict calendars (their events block time). Idempotent; newly added conflict calendars are
// synced at once by setting nextSyncAt (the sync engine's pick-up contract).
import type { Services } from '../../app/services.ts'
import type { Calendar, Integration, Prisma } from '../../generated/prisma/client.ts'
import { notifyBusyTimeChanged } from '../../realtime/notify.ts'
import { calendarSelectability } from './calendarSelectability.ts'
import { NotFoundError } from '../../errors.ts'
import { CalendarNotWritableError, NotAnEventCalendarError, SubscribedCalendarError } from './errors.ts'

type Tx = Prisma.TransactionClient

export interface CalendarConfiguration {
  linkedCalendarId: string
  conflictCalendarIds: string[]
  /** The linked calendar also blocks time (default true); only this flag decides the linked calendar's conflict role. */
  linkedAlsoConflict?: boolean | null
}

export interface ConfigureResult {
  integration: Integration
  changed: boolean
  addedConflictCalendarIds: string[]
  removedConflictCalendarIds: string[]
}

function refuse(calendar: Calendar, role: 'linked' | 'conflict'): never {
  const selectability = calendarSelectability(calendar)
  const reason = selectability.reason ?? 'not selectable'
  switch (selectability.code) {
    case 'SUBSCRIBED_CALENDAR':
      throw new SubscribedCalendarError(calendar.displayName, role, reason)
    case 'CALENDAR_NOT_WRITABLE':
      throw new CalendarNotWritableError(calendar.displayName, reason)
    default:
      throw new NotAnEventCalendarError(calendar.displayName, role, reason)
  }
}

export async function configureCalendars(
  services: Services,
  integration: Integration,
  configuration: CalendarConfiguration,
): Promise<ConfigureResult> {
  const calendars = await services.prisma.calendar.findMany({ where: { integrationId: integration.id } })
  const choice = checkChoice(calendars, configuration)
  const change = await changeFromCurrent(services, integration, choice)
  const { linked, added, removed } = change
  if (!change.linkedChanged && added.length === 0 && removed.length === 0) {
    return { integration, changed: false, addedConflictCalendarIds: [], removedConflictCalendarIds: [] }
  }

  const updated = await services.prisma.$transaction((tx) => saveChange(tx, integration, change))
  if (removed.length > 0) {
    await notifyBusyTimeChanged(services, [integration.userId], { from: null, to: null }, 'conflict calendars changed')
  }
  services.logger.info(
    { integrationId: integration.id, linkedCalendarId: linked.id, added: added.length, removed: removed.length },
    'iCloud calendars configured',
  )
  return { integration: updated, changed: true, addedConflictCalendarIds: added, removedConflictCalendarIds: removed }
}

interface CalendarChoice {
  linked: Calendar
  alsoConflict: boolean
  /** Ids of the calendars that are to block time (the linked one included when it also blocks). */
  wanted: Set<string>
}

/** NotFoundError for a calendar of another integration, the refusal for one that cannot take its role. */
function checkChoice(calendars: Calendar[], configuration: CalendarConfiguration): CalendarChoice {
  const byId = new Map(calendars.map((calendar) => [calendar.id, calendar]))
  const linked = byId.get(configuration.linkedCalendarId)
  if (!linked) throw new NotFoundError('A calendar of this integration')
  if (!calendarSelectability(linked).selectableAsLinked) refuse(linked, 'linked')
  const alsoConflict = configuration.linkedAlsoConflict ?? true
  const wanted = new Set<string>()
  for (const id of configuration.conflictCalendarIds) {
    if (id === linked.id) continue
    const calendar = byId.get(id)
    if (!calendar) throw new NotFoundError('A calendar of this integration')
    if (!calendarSelectability(calendar).selectableAsConflict) refuse(calendar, 'conflict')
    wanted.add(id)
  }
  if (alsoConflict) wanted.add(linked.id)
  return { linked, alsoConflict, wanted }
}

interface ConfigurationChange extends CalendarChoice {
  linkedChanged: boolean
  added: string[]
  removed: string[]
}

async function changeFromCurrent(
  services: Services,
  integration: Integration,
  choice: CalendarChoice,
): Promise<ConfigurationChange> {
  const [currentLinked, currentConflicts] = await Promise.all([
    services.prisma.linkedCalendar.findUnique({ where: { integrationId: integration.id } }),
    services.prisma.conflictCalendar.findMany({
      where: { integrationId: integration.id },
      select: { calendarId: true },
    }),
  ])
  const current = new Set(currentConflicts.map((row) => row.calendarId))
  return {
    ...choice,
    linkedChanged: currentLinked?.calendarId !== choice.linked.id || currentLinked.alsoConflict !== choice.alsoConflict,
    added: [...choice.wanted].filter((id) => !current.has(id)),
    removed: [...current].filter((id) => !choice.wanted.has(id)),
  }
}

async function saveChange(tx: Tx, integration: Integration, change: ConfigurationChange): Promise<Integration> {
  const { linked, alsoConflict, added, removed } = change
  await tx.linkedCalendar.upsert({
    where: { integrationId: integration.id },
    create: { integrationId: integration.id, calendarId: linked.id, alsoConflict },
    update: { calendarId: linked.id, alsoConflict },
  })
  if (removed.length > 0) await dropConflictCalendars(tx, integration, removed, linked.id)
  if (added.length > 0) {
    await tx.conflictCalendar.createMany({
      data: added.map((calendarId) => ({ integrationId: integration.id, calendarId })),
    })
  }
  return tx.integration.update({
    where: { id: integration.id },
    // A new conflict calendar (or a new linked calendar) must be read now, not at the next scheduled sync.
    data: added.length > 0 || change.linkedChanged ? { nextSyncAt: new Date() } : {},
  })
}

async function dropConflictCalendars(
  tx: Tx,
  integration: Integration,
  removed: string[],
  linkedId: string,
): Promise<void> {
  await tx.conflictCalendar.deleteMany({ where: { integrationId: integration.id, calendarId: { in: removed } } })
  // Their events no longer block time. Objects of calendars that are not linked either are dropped with their
  // sync state, so adding the calendar back later reads it in full instead of from a stale sync token.
  await tx.blockedSlot.deleteMany({ where: { calendarId: { in: removed } } })
  const unused = removed.filter((id) => id !== linkedId)
  if (unused.length > 0) {
    await tx.calendarObject.deleteMany({ where: { calendarId: { in: unused } } })
    await tx.calendar.updateMany({
      where: { id: { in: unused } },
      data: { syncToken: null, ctag: null, lastSyncedAt: null },
    })
  }
}
