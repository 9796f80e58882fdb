// ROUND_ROBIN: a slot is open when any member is free; booking assigns a free member by priority, then by fewest
// recent bookings.
import { describe, expect, it } from 'vitest'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, book, FULL_DAY, localTimes, setUpCalendar, slotsOn, upcomingMonday, userGid } from './support.ts'
import { seed } from './seed.ts'

let t: TestApp
useTestApp((app) => (t = app))

describe('ROUND_ROBIN calendar', () => {
  it('lists the free members of each slot and stays open while anyone is free', async () => {
    const monday = upcomingMonday()
    const f = await seed(t)
      .calendar({ type: 'ROUND_ROBIN', members: 2 })
      .busy(0, at(monday, 10), at(monday, 12))
      .busy(1, at(monday, 11), at(monday, 13))
    const [a, b] = f.members.map((m) => userGid(m.user.id)) as [string, string]
    const slots = (await slotsOn(f, monday)).slots
    const byTime = new Map(slots.map((s, i) => [localTimes(slots)[i], s.freeMembers]))
    expect(byTime.get('09:00')).toEqual(expect.arrayContaining([a, b]))
    expect(byTime.get('10:00')).toEqual([b]) // a busy 10–12; b busy from 11
    expect(byTime.get('11:00')).toBeUndefined() // both busy
    expect(byTime.get('12:00')).toEqual([a])
    expect(byTime.get('13:00')?.length).toBe(2)
    expect(localTimes(slots)).toEqual(FULL_DAY.filter((x) => !['10:30', '11:00', '11:30'].includes(x)))
  })

  it('assigns by priority first, then to whoever has the fewest recent bookings', async () => {
    const f = await setUpCalendar(t, { type: 'ROUND_ROBIN', members: 3, priorities: [0, 5, 0] })
    const [low1, high, low2] = f.members.map((m) => userGid(m.user.id)) as [string, string, string]
    const monday = upcomingMonday()
    const assigned = async (hour: number, minute = 0) => {
      const r = await book(f, at(monday, hour, minute))
      if (r.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(r))
      return r.appointment.assignedUser.id
    }
    // The high-priority member takes every slot they are free for.
    expect(await assigned(9)).toBe(high)
    // At 09:30 the high-priority member is booked (09:00–10:00): the two equal members, both with 0 bookings.
    const first = await assigned(9, 30)
    expect([low1, low2]).toContain(first)
    // The other equal member has fewer recent bookings now.
    const second = await assigned(13)
    expect(second).toBe(high)
    const third = await assigned(13, 30)
    expect(third).toBe(first === low1 ? low2 : low1)
    // After each of them has one, the slot list still shows the one free member at a time it remains.
    const slots = (await slotsOn(f, monday)).slots
    expect(slots.length).toBeGreaterThan(0)
  })

  it('books until no member is left for the slot', async () => {
    const f = await setUpCalendar(t, { type: 'ROUND_ROBIN', members: 2 })
    const monday = upcomingMonday()
    const one = await book(f, at(monday, 10), { email: 'one@example.com' })
    const two = await book(f, at(monday, 10), { email: 'two@example.com' })
    const three = await book(f, at(monday, 10), { email: 'three@example.com' })
    expect(one.__typename).toBe('BookAppointmentSuccess')
    expect(two.__typename).toBe('BookAppointmentSuccess')
    expect(three.__typename).toBe('SlotUnavailable')
    if (one.__typename === 'BookAppointmentSuccess' && two.__typename === 'BookAppointmentSuccess') {
      expect(one.appointment.assignedUser.id).not.toBe(two.appointment.assignedUser.id)
    }
    expect(localTimes((await slotsOn(f, monday)).slots)).not.toContain('10:00')
  })
})
