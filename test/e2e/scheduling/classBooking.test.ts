// CLASS_BOOKING: each slot has a seat capacity; open while seats remain and the host is free.
import { describe, expect, it } from 'vitest'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, book, localTimes, setUpCalendar, slotsOn, upcomingMonday, userGid } from './support.ts'
import { CreateBlockedSlot } from '../blockedSlotDocuments.ts'

let t: TestApp
useTestApp((app) => (t = app))

describe('CLASS_BOOKING calendar', () => {
  it('counts seats down, closes when full, and blocks overlapping sessions of the host', async () => {
    // 3 seats, hourly classes on the hour.
    const f = await setUpCalendar(t, { type: 'CLASS_BOOKING', settings: { slotIntervalMinutes: 60, seatsPerSlot: 3 } })
    const monday = upcomingMonday()
    const seatsAt = async (hour: number) =>
      (await slotsOn(f, monday)).slots.find((s) => s.start === new Date(at(monday, hour)).toISOString())?.seatsLeft ?? 0
    expect(await seatsAt(10)).toBe(3)
    const first = await book(f, at(monday, 10), { email: 'a@example.com' })
    if (first.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(first))
    expect(first.appointment.assignedUser.id).toBe(userGid(f.members[0]!.user.id))
    expect(await seatsAt(10)).toBe(2)
    // Other sessions are unaffected by a booking at 10:00 (they do not overlap it).
    expect(await seatsAt(11)).toBe(3)
    expect((await book(f, at(monday, 10), { email: 'b@example.com' })).__typename).toBe('BookAppointmentSuccess')
    expect((await book(f, at(monday, 10), { email: 'c@example.com' })).__typename).toBe('BookAppointmentSuccess')
    expect(await seatsAt(10)).toBe(0)
    expect(localTimes((await slotsOn(f, monday)).slots)).not.toContain('10:00')
    expect((await book(f, at(monday, 10), { email: 'd@example.com' })).__typename).toBe('SlotUnavailable')

    // The host busy elsewhere closes the class.
    await f.adminClient.data(CreateBlockedSlot, {
      input: { userId: userGid(f.members[0]!.user.id), start: at(monday, 14, 30), end: at(monday, 14, 45) },
    })
    expect(localTimes((await slotsOn(f, monday)).slots)).toEqual(['09:00', '11:00', '12:00', '13:00', '15:00', '16:00'])
  })

  it('does not let a session overlap one that already has people in it', async () => {
    // 60-minute classes every 30 minutes: a booked 10:00 session takes 09:30 and 10:30 away from the host.
    const f = await setUpCalendar(t, { type: 'CLASS_BOOKING', settings: { slotIntervalMinutes: 30, seatsPerSlot: 5 } })
    const monday = upcomingMonday()
    expect((await book(f, at(monday, 10))).__typename).toBe('BookAppointmentSuccess')
    const slots = (await slotsOn(f, monday)).slots
    const times = localTimes(slots)
    expect(times).toContain('10:00')
    expect(times).not.toContain('09:30')
    expect(times).not.toContain('10:30')
    expect(slots.find((s) => s.start === new Date(at(monday, 10)).toISOString())?.seatsLeft).toBe(4)
    expect((await book(f, at(monday, 10, 30))).__typename).toBe('SlotUnavailable')
  })
})
