// COLLECTIVE: open only when every member is free; a booking includes all members.
import { describe, expect, it } from 'vitest'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import {
  at,
  book,
  CreateBlockedSlot,
  localTimes,
  SetDateOverride,
  setUpCalendar,
  slotsOn,
  upcomingMonday,
  userGid,
} from './support.ts'

let t: TestApp
useTestApp((app) => (t = app))

describe('COLLECTIVE calendar', () => {
  it('is open only where every member works and is free', async () => {
    const f = await setUpCalendar(t, { type: 'COLLECTIVE', members: 2 })
    const [a, b] = f.members.map((m) => userGid(m.user.id)) as [string, string]
    const monday = upcomingMonday()
    // b works only 12:00–17:00 this day.
    await f.adminClient.data(SetDateOverride, {
      input: {
        memberId: f.members[1]!.memberId,
        date: monday.toISODate()!,
        intervals: [{ startMinute: 720, endMinute: 1020 }],
      },
    })
    await f.adminClient.data(CreateBlockedSlot, { input: { userId: a, start: at(monday, 14), end: at(monday, 15) } })
    const slots = (await slotsOn(f, monday)).slots
    expect(localTimes(slots)).toEqual(['12:00', '12:30', '13:00', '15:00', '15:30', '16:00'])
    expect(slots[0]!.freeMembers).toEqual(expect.arrayContaining([a, b]))
  })

  it('books every member, and the slot closes for all of them', async () => {
    const f = await setUpCalendar(t, { type: 'COLLECTIVE', members: 3 })
    const ids = f.members.map((m) => userGid(m.user.id))
    const monday = upcomingMonday()
    const r = await book(f, at(monday, 10))
    if (r.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(r))
    expect(r.appointment.participants.map((p) => p.user.id).sort()).toEqual([...ids].sort())
    expect(r.appointment.participants.every((p) => p.active)).toBe(true)
    const rows = await t.services.prisma.appointmentParticipant.findMany({
      where: {
        userId: { in: f.members.map((m) => m.user.id) },
      },
    })
    expect(rows).toHaveLength(3)
    expect(localTimes((await slotsOn(f, monday)).slots)).not.toContain('10:00')
    expect((await book(f, at(monday, 10, 30))).__typename).toBe('SlotUnavailable')
  })
})
