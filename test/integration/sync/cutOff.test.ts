// Cut-off answers (ICLOUD.md "Answers that lie"): a 207 whose body stops mid-way, framed as a complete HTTP response.
// The run must fail for that calendar and leave its sync token where it was, so the next run is told again.
import { describe, expect, it } from 'vitest'
import type { CutOffRequest } from '../../support/caldav/icloud/index.ts'
import { eventIcs, stamp } from '../../support/integrationFixtures.ts'
import { useSyncScenario, type SyncScenario } from '../../support/syncScenario.ts'

let s: SyncScenario
let calendarId: string
let day = 10

// Long enough that a cut at 60 % lands inside calendar-data.
const notes = `DESCRIPTION:${'Agenda item. '.repeat(40)}`
const event = (uid: string, days: number) =>
  eventIcs({ uid, start: stamp(days, 9), end: stamp(days, 10), summary: uid, extra: [notes] })

useSyncScenario(
  {
    calendars: { Work: { 'moving.ics': event('moving', 1), 'other.ics': event('other', 2) } },
    initialSync: 'MANUAL',
  },
  (started) => {
    s = started
    calendarId = s.fx.calendarIds.get(s.calendar)!
  },
)

const calendarRow = () => s.t.services.prisma.calendar.findUniqueOrThrow({ where: { id: calendarId } })
const slotStarts = async (title: string) => {
  const slots = await s.t.services.prisma.blockedSlot.findMany({ where: { calendarId, title } })
  return slots.map((slot) => slot.start.toISOString())
}
const cutNext = (request: CutOffRequest, fraction = 0.6) => {
  s.server.icloud!.quirks.cutOff = { request, count: 1, fraction }
}
const isoOf = (icalStamp: string) =>
  icalStamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6.000Z')

describe('a cut-off answer is never taken as complete', () => {
  it('a cut-off calendar-multiget fails the calendar, keeps its token, and the next run fetches the change', async () => {
    const before = await calendarRow()
    day++
    await s.server.put(s.calendar, 'moving.ics', event('moving', day))
    cutNext('calendar-multiget')
    const cut = await s.sync()
    expect(cut.outcome).toBe('FAILED')
    expect((await calendarRow()).syncToken).toBe(before.syncToken)
    expect((await calendarRow()).lastError).toMatch(/cut off|incomplete|well-formed/i)
    expect(await slotStarts('moving')).not.toContain(isoOf(stamp(day, 9)))

    const next = await s.sync()
    expect(next.outcome).toBe('SUCCESS')
    expect(next.counters.objectsFetched).toBe(1)
    expect(await slotStarts('moving')).toEqual([isoOf(stamp(day, 9))])
  })

  it('a cut-off sync-collection answer fails the calendar and keeps its token', async () => {
    const before = await calendarRow()
    day++
    await s.server.put(s.calendar, 'moving.ics', event('moving', day))
    cutNext('sync-collection', 0.9)
    const cut = await s.sync()
    expect(cut.outcome).toBe('FAILED')
    expect((await calendarRow()).syncToken).toBe(before.syncToken)

    const next = await s.sync()
    expect(next.outcome).toBe('SUCCESS')
    expect(await slotStarts('moving')).toEqual([isoOf(stamp(day, 9))])
  })

  it('a cut-off ETag listing (after a refused token) deletes nothing', async () => {
    s.server.icloud!.quirks.invalidateSyncTokens = true
    cutNext('propfind-listing', 0.5)
    const cut = await s.sync()
    expect(cut.outcome).toBe('FAILED')
    expect(await slotStarts('other')).toEqual([isoOf(stamp(2, 9))])
    expect(await s.t.services.prisma.calendarObject.count({ where: { calendarId } })).toBe(2)
  })
})
