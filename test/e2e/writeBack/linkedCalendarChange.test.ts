// Changing the linked calendar later: new appointments go to the new calendar, existing ones stay where they are.
import { describe, expect, it } from 'vitest'
import { configureCalendars } from '../../../src/integrations/icloud/configureCalendars.ts'
import type { SyncServer } from '../../support/integrationFixtures.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, upcomingMonday } from '../scheduling/support.ts'
import { bookOrThrow } from '../scheduling/flows.ts'
import { drainOutbox, linkedMember, listResources, participantOf, serverKinds, useSyncServer } from './support.ts'

let t: TestApp
useTestApp((app) => (t = app))

describe.each(serverKinds)('changing the linked calendar on $name', (kind) => {
  let server: SyncServer
  useSyncServer(kind, (started) => (server = started))

  it('writes new appointments to the new calendar and leaves existing ones where they are', async () => {
    const { f, login, userId, calendarUrl: oldUrl, integrationId } = await linkedMember(t, server)
    const monday = upcomingMonday()

    const first = await bookOrThrow(f, at(monday, 10))
    await drainOutbox(t)
    const firstId = first.appointmentId
    const oldCalendarId = (await participantOf(t, firstId, userId)).remoteCalendarId

    const newUrl = await login.makeCalendar(`home-${Date.now()}`)
    const integration = await t.services.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } })
    // As discovery (refreshCalendars) records it; these servers are not at ICLOUD_CALDAV_URL, so it is written here.
    const newCalendar = await t.services.prisma.calendar.create({
      data: {
        integrationId,
        path: new URL(newUrl).pathname,
        url: newUrl,
        displayName: 'Home',
        kind: 'EVENT_CALENDAR',
        components: ['VEVENT'],
        writable: true,
      },
    })
    const configured = await configureCalendars(t.services, integration, {
      linkedCalendarId: newCalendar.id,
      conflictCalendarIds: [newCalendar.id, oldCalendarId!],
    })
    expect(configured.changed).toBe(true)

    const second = await bookOrThrow(f, at(monday, 12))
    await drainOutbox(t)
    const secondId = second.appointmentId

    expect((await participantOf(t, secondId, userId)).remoteCalendarId).toBe(newCalendar.id)
    expect((await participantOf(t, firstId, userId)).remoteCalendarId).toBe(oldCalendarId)
    const inOld = (await listResources(login, oldUrl)).join('\n')
    const inNew = (await listResources(login, newUrl)).join('\n')
    expect(inOld).toContain(first.appointment.icalUid)
    expect(inOld).not.toContain(second.appointment.icalUid)
    expect(inNew).toContain(second.appointment.icalUid)
    expect(inNew).not.toContain(first.appointment.icalUid)
  })
})
