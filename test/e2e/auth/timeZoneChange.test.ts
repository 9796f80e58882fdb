// A user changes their time zone: floating and all-day iCloud events (here on a real Radicale server) are
// re-expanded in the new zone from the stored iCalendar data, working hours that followed the user move, and
// availability follows.
import { DateTime } from 'luxon'
import { expect, it } from 'vitest'
import { syncIntegration } from '../../../src/sync/index.ts'
import {
  createIntegrationFixture,
  eventIcs,
  startRadicaleServer,
  type SyncServer,
} from '../../support/integrationFixtures.ts'
import { useStarted } from '../../support/lifecycle.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { localTimes, rawId, setUpCalendar, slotsOn, upcomingMonday, type Fixture } from '../scheduling/support.ts'
import { UpdateViewerProfileMutation } from './documents.ts'

const NEW_ZONE = 'America/New_York'
let server: SyncServer
let t: TestApp
let f: Fixture
let integrationId: string
let monday: DateTime

useStarted(startRadicaleServer, (started) => (server = started))
useTestApp(seed, () => ({ ICLOUD_CALDAV_URL: server.serverUrl }))

/** One member whose conflict calendar holds a floating and an all-day event, synced once. */
async function seed(app: TestApp) {
  t = app
  f = await setUpCalendar(t, { type: 'SERVICE', members: 1 })
  monday = upcomingMonday()
  const calendar = await server.makeCalendar('home', 'Home')
  const day = (d: DateTime) => d.toFormat('yyyyMMdd')
  // Floating: 10:00–11:00 wherever the user is (RFC 5545 §3.3.5, form #1). All-day: the user's local Tuesday.
  await server.put(
    calendar,
    'floating.ics',
    eventIcs({ uid: 'floating', start: `${day(monday)}T100000`, end: `${day(monday)}T110000` }),
  )
  const tuesday = monday.plus({ days: 1 })
  await server.put(
    calendar,
    'allday.ics',
    eventIcs({ uid: 'allday', start: `${day(tuesday)}`, end: `${day(tuesday.plus({ days: 1 }))}` }).replace(
      /DTSTART:(\d+)\r\nDTEND:(\d+)/,
      'DTSTART;VALUE=DATE:$1\r\nDTEND;VALUE=DATE:$2',
    ),
  )
  const fixture = await createIntegrationFixture(t.services, f.members[0]!.user, server, { conflicts: [calendar] })
  integrationId = fixture.integrationId
  expect((await syncIntegration(t.services, integrationId, 'MANUAL'))?.outcome).toBe('SUCCESS')
}

async function slotStarts(zone: string) {
  const slots = await t.services.prisma.blockedSlot.findMany({
    where: { userId: f.members[0]!.user.id },
    orderBy: { start: 'asc' },
  })
  return slots.map((slot) => [DateTime.fromJSDate(slot.start).setZone(zone).toFormat('ccc HH:mm'), slot.allDay])
}

it('re-expands floating and all-day events in the new zone without refetching, and availability follows', async () => {
  const member = f.members[0]!
  expect(await slotStarts('Europe/Berlin')).toEqual([
    ['Mon 10:00', false],
    ['Tue 00:00', true],
  ])
  expect(localTimes((await slotsOn(f, monday)).slots)).not.toContain('10:00')

  const changed = await t.client(member.user.token).data(UpdateViewerProfileMutation, { input: { timeZone: NEW_ZONE } })
  expect(changed.updateViewerProfile).toMatchObject({ user: { timeZone: NEW_ZONE } })

  // The sync started by the change re-expands in the background.
  await expect
    .poll(() => slotStarts(NEW_ZONE), { timeout: 30_000, interval: 200 })
    .toEqual([
      ['Mon 10:00', false],
      ['Tue 00:00', true],
    ])
  const run = await t.services.prisma.syncRun.findFirstOrThrow({ where: { integrationId, trigger: 'CONFIGURE' } })
  expect(run.objectsFetched).toBe(0)

  // Working hours followed the user (9–17 New York now) and the floating hour blocks 10:00 New York.
  const memberRow = await t.services.prisma.crmCalendarMember.findUniqueOrThrow({
    where: { id: rawId(member.memberId) },
  })
  expect(memberRow.timeZone).toBe(NEW_ZONE)
  const newYorkMonday = monday.setZone(NEW_ZONE, { keepLocalTime: true })
  const slots = localTimes((await slotsOn(f, newYorkMonday, NEW_ZONE)).slots, NEW_ZONE)
  expect(slots).toContain('09:00')
  expect(slots).toContain('11:00')
  for (const blocked of ['09:30', '10:00', '10:30']) expect(slots).not.toContain(blocked)
})
