// COLLECTIVE: open only when every member is free; a booking includes all members.
import { describe, expect, it } from 'vitest'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, book, localTimes, setUpCalendar, slotsOn, upcomingMonday, userGid } from './support.ts'
import { seed } from './seed.ts'

let t: TestApp
useTestApp((app) => (t = app))

describe('COLLECTIVE calendar', () => {
  it('is open only where every member works and is free', async () => {
    const monday = upcomingMonday()
    const f = await seed(t)
      .calendar({ type: 'COLLECTIVE', members: 2 })
      .worksOn(1, monday.toISODate()!, [{ startMinute: 720, endMinute: 1020 }]) // b: only 12:00–17:00 this day
      .busy(0, at(monday, 14), at(monday, 15))
    const [a, b] = f.members.map((m) => userGid(m.user.id)) as [string, string]
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
