// Cut-off answers (ICLOUD.md "Answers that lie"): a 207 whose body stops mid-way, framed as a complete HTTP response.
// The run must fail for that calendar and leave its sync token where it was, so the next run is told again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { syncIntegration } from '../../../src/sync/index.ts'
import type { CutOffRequest } from '../../support/caldav/icloud/index.ts'
import { createTeam } from '../../support/factories.ts'
import {
  createIntegrationFixture,
  eventIcs,
  stamp,
  startICloudSyncServer,
  type IntegrationFixture,
  type SyncServer,
} from '../../support/integrationFixtures.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'

let server: SyncServer
let t: TestApp
let fx: IntegrationFixture
let calendar: string
let calendarId: string
let day = 10

// Long enough that a cut at 60 % lands inside calendar-data.
const notes = `DESCRIPTION:${'Agenda item. '.repeat(40)}`
const event = (uid: string, days: number) =>
  eventIcs({ uid, start: stamp(days, 9), end: stamp(days, 10), summary: uid, extra: [notes] })

const sync = async () => {
  const result = await syncIntegration(t.services, fx.integrationId, 'MANUAL')
  if (!result) throw new Error('sync did not start')
  return result
}
const calendarRow = () => t.services.prisma.calendar.findUniqueOrThrow({ where: { id: calendarId } })
const slotStarts = async (title: string) =>
  (await t.services.prisma.blockedSlot.findMany({ where: { calendarId, title } })).map((s) => s.start.toISOString())
const cutNext = (request: CutOffRequest, fraction = 0.6) => {
  server.icloud!.quirks.cutOff = { request, count: 1, fraction }
}
const isoOf = (icalStamp: string) =>
  icalStamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6.000Z')

beforeAll(async () => {
  server = await startICloudSyncServer()
  t = await startTestApp({ ICLOUD_CALDAV_URL: server.serverUrl })
  const team = await createTeam(t.services)
  calendar = await server.makeCalendar('work', 'Work')
  await server.put(calendar, 'moving.ics', event('moving', 1))
  await server.put(calendar, 'other.ics', event('other', 2))
  fx = await createIntegrationFixture(t.services, team.user, server, { conflicts: [calendar] })
  calendarId = fx.calendarIds.get(calendar)!
  expect((await sync()).outcome).toBe('SUCCESS')
})
afterAll(async () => {
  await t?.close()
  await server?.stop()
})
beforeEach(() => server.icloud!.resetQuirks())

describe('a cut-off answer is never taken as complete', () => {
  it('a cut-off calendar-multiget fails the calendar, keeps its token, and the next run fetches the change', async () => {
    const before = await calendarRow()
    day++
    await server.put(calendar, 'moving.ics', event('moving', day))
    cutNext('calendar-multiget')
    const cut = await sync()
    expect(cut.outcome).toBe('FAILED')
    expect((await calendarRow()).syncToken).toBe(before.syncToken)
    expect((await calendarRow()).lastError).toMatch(/cut off|incomplete|well-formed/i)
    expect(await slotStarts('moving')).not.toContain(isoOf(stamp(day, 9)))

    const next = await sync()
    expect(next.outcome).toBe('SUCCESS')
    expect(next.counters.objectsFetched).toBe(1)
    expect(await slotStarts('moving')).toEqual([isoOf(stamp(day, 9))])
  })

  it('a cut-off sync-collection answer fails the calendar and keeps its token', async () => {
    const before = await calendarRow()
    day++
    await server.put(calendar, 'moving.ics', event('moving', day))
    cutNext('sync-collection', 0.9)
    const cut = await sync()
    expect(cut.outcome).toBe('FAILED')
    expect((await calendarRow()).syncToken).toBe(before.syncToken)

    const next = await sync()
    expect(next.outcome).toBe('SUCCESS')
    expect(await slotStarts('moving')).toEqual([isoOf(stamp(day, 9))])
  })

  it('a cut-off ETag listing (after a refused token) deletes nothing', async () => {
    server.icloud!.quirks.invalidateSyncTokens = true
    cutNext('propfind-listing', 0.5)
    const cut = await sync()
    expect(cut.outcome).toBe('FAILED')
    expect(await slotStarts('other')).toEqual([isoOf(stamp(2, 9))])
    expect(await t.services.prisma.calendarObject.count({ where: { calendarId } })).toBe(2)
  })
})
