// Parallel bookings of the last slot or seat: exactly as many succeed as there is room for. Run on PGlite and, with
// TEST_DATABASE_URL, on PostgreSQL (where the advisory locks do the work).
import { describe, expect, it } from 'vitest'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, book, setUpCalendar, upcomingMonday } from './support.ts'

let t: TestApp
useTestApp((app) => (t = app))

const PARALLEL = 10

/** PARALLEL bookings of `start` by different contacts, or (with `key`) PARALLEL retries of one request. */
async function race(f: Awaited<ReturnType<typeof setUpCalendar>>, start: string, key?: () => string) {
  const results = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) =>
      book(
        f,
        start,
        key ? { email: 'retrier@example.com', idempotencyKey: key() } : { email: `racer${i}@example.com` },
      ),
    ),
  )
  return {
    ok: results.filter((r) => r.__typename === 'BookAppointmentSuccess'),
    types: results.map((r) => r.__typename),
  }
}

describe('concurrent bookings', () => {
  it('lets exactly one of 10 parallel requests take the last slot (SERVICE)', async () => {
    const f = await setUpCalendar(t, {
      type: 'SERVICE',
      workingHours: [{ weekday: 1, startMinute: 600, endMinute: 660 }],
    })
    const monday = upcomingMonday()
    const { ok, types } = await race(f, at(monday, 10))
    expect(ok).toHaveLength(1)
    expect(types.filter((x) => x === 'SlotUnavailable')).toHaveLength(PARALLEL - 1)
    const members = f.members.map((m) => m.user.id)
    expect(
      await t.services.prisma.appointmentParticipant.count({ where: { userId: { in: members }, active: true } }),
    ).toBe(1)
  })

  it('fills exactly the seats of a class', async () => {
    const f = await setUpCalendar(t, { type: 'CLASS_BOOKING', settings: { seatsPerSlot: 3, slotIntervalMinutes: 60 } })
    const monday = upcomingMonday()
    const { ok } = await race(f, at(monday, 11))
    expect(ok).toHaveLength(3)
    expect(
      await t.services.prisma.appointment.count({ where: { assignedUserId: f.members[0]!.user.id, status: 'BOOKED' } }),
    ).toBe(3)
  })

  it('gives a round-robin slot to each member once', async () => {
    const f = await setUpCalendar(t, { type: 'ROUND_ROBIN', members: 3 })
    const monday = upcomingMonday()
    const { ok } = await race(f, at(monday, 9))
    expect(ok).toHaveLength(3)
    const assigned = ok.map((r) => (r.__typename === 'BookAppointmentSuccess' ? r.appointment.assignedUser.id : ''))
    expect(new Set(assigned).size).toBe(3)
  })

  it('books once for parallel retries with one idempotency key', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const { ok } = await race(f, at(monday, 13), () => 'same-key')
    expect(ok).toHaveLength(PARALLEL)
    const ids = new Set(ok.map((r) => (r.__typename === 'BookAppointmentSuccess' ? r.appointment.id : '')))
    expect(ids.size).toBe(1)
  })

  it('does not double-book a member shared by two calendars booked at once', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const { CreateCrmCalendar, AddMember, userGid } = await import('./support.ts')
    const second = await f.adminClient.data(CreateCrmCalendar, {
      input: { name: 'Second', type: 'SERVICE', slotDurationMinutes: 60, slotIntervalMinutes: 30 },
    })
    if (second.createCrmCalendar.__typename !== 'CreateCrmCalendarSuccess') throw new Error('calendar')
    const secondId = second.createCrmCalendar.crmCalendar.id
    await f.adminClient.data(AddMember, {
      input: {
        calendarId: secondId,
        userId: userGid(f.members[0]!.user.id),
        workingHours: [{ weekday: 1, startMinute: 540, endMinute: 1020 }],
      },
    })
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        book(i % 2 === 0 ? f : { ...f, calendarId: secondId }, at(monday, 10, i % 4 === 0 ? 0 : 30), {
          email: `x${i}@example.com`,
        }),
      ),
    )
    expect(results.filter((r) => r.__typename === 'BookAppointmentSuccess')).toHaveLength(1)
  })
})
