// Calendar settings and member hours: date overrides, DST, booking caps, notice and window, the stale policy.
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import {
  at,
  AvailabilityQuery,
  book,
  FULL_DAY,
  localTimes,
  RemoveDateOverride,
  SetDateOverride,
  SetWorkingHours,
  setUpCalendar,
  slotsOn,
  UpdateCrmCalendar,
  upcomingMonday,
  userGid,
  ZONE,
} from './support.ts'

let t: TestApp
useTestApp((app) => (t = app))

/** The next local date in `zone` (at least 2 days ahead) whose length is not 24 hours. */
function nextTransitionDay(zone: string, kind: 'short' | 'long'): DateTime {
  let day = DateTime.now().setZone(zone).startOf('day').plus({ days: 2 })
  for (let i = 0; i < 800; i++, day = day.plus({ days: 1 })) {
    const hours = day.plus({ days: 1 }).diff(day, 'hours').hours
    if ((kind === 'short' && hours < 24) || (kind === 'long' && hours > 24)) return day
  }
  throw new Error(`no DST transition in ${zone}`)
}

describe('working hours and overrides', () => {
  it('closes a day, changes its hours, and restores the weekly rules', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const member = f.members[0]!.memberId
    await f.adminClient.data(SetDateOverride, { input: { memberId: member, date: monday.toISODate()!, intervals: [] } })
    expect((await slotsOn(f, monday)).slots).toEqual([])
    await f.adminClient.data(SetDateOverride, {
      input: {
        memberId: member,
        date: monday.toISODate()!,
        intervals: [
          { startMinute: 420, endMinute: 540 },
          { startMinute: 1200, endMinute: 1290 },
        ],
      },
    })
    expect(localTimes((await slotsOn(f, monday)).slots)).toEqual(['07:00', '07:30', '08:00', '20:00', '20:30'])
    // Tuesday keeps the weekly rules.
    expect(localTimes((await slotsOn(f, monday.plus({ days: 1 }))).slots)).toEqual(FULL_DAY)
    await f.adminClient.data(RemoveDateOverride, { input: { memberId: member, date: monday.toISODate()! } })
    expect(localTimes((await slotsOn(f, monday)).slots)).toEqual(FULL_DAY)

    // Replacing the weekly rules.
    const set = await f.adminClient.data(SetWorkingHours, {
      input: { memberId: member, rules: [{ weekday: 1, startMinute: 600, endMinute: 720 }] },
    })
    expect(set.setWorkingHours.__typename).toBe('SetWorkingHoursSuccess')
    expect(localTimes((await slotsOn(f, monday)).slots)).toEqual(['10:00', '10:30', '11:00'])
    expect((await slotsOn(f, monday.plus({ days: 1 }))).slots).toEqual([])
  })

  it('keeps wall-clock hours across DST transitions, in the member zone', async () => {
    for (const kind of ['short', 'long'] as const) {
      const day = nextTransitionDay(ZONE, kind)
      const f = await setUpCalendar(t, {
        type: 'SERVICE',
        workingHours: [
          { weekday: day.weekday, startMinute: 0, endMinute: 1440 },
          { weekday: (day.weekday % 7) + 1, startMinute: 540, endMinute: 1020 },
        ],
        settings: { slotIntervalMinutes: 60, bookingWindowDays: 730 },
      })
      const slots = (await slotsOn(f, day)).slots
      // 00:00–24:00 in hourly slots is 23 slots on the short day, 25 on the long one (02:00 twice).
      expect(slots).toHaveLength(kind === 'short' ? 23 : 25)
      for (const s of slots) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(3_600_000)
      // The next day 09:00–17:00 is 09:00–17:00 local with the new offset.
      const next = day.plus({ days: 1 })
      const nextSlots = (await slotsOn(f, next)).slots
      expect(localTimes(nextSlots)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00'])
      expect(nextSlots[0]!.localStart).toBe(next.set({ hour: 9 }).toISO({ suppressMilliseconds: true }))
    }
  })

  it('reads working hours in the member zone, not the calendar zone', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE', memberTimeZone: 'America/New_York' })
    const monday = upcomingMonday('America/New_York')
    const data = await slotsOn(f, monday, 'America/New_York')
    const first = DateTime.fromISO(data.slots[0]!.start).setZone('America/New_York')
    // The calendar grid is Berlin's half hours, which are New York's half hours too.
    expect(first.toFormat('HH:mm')).toBe('09:00')
    expect(data.slots[0]!.localStart).toMatch(/T09:00:00-0[45]:00$/)
  })
})

describe('calendar settings', () => {
  it('caps bookings per member per local day', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE', settings: { maxBookingsPerDayPerMember: 2 } })
    const monday = upcomingMonday()
    expect((await book(f, at(monday, 9))).__typename).toBe('BookAppointmentSuccess')
    expect((await book(f, at(monday, 11))).__typename).toBe('BookAppointmentSuccess')
    expect((await slotsOn(f, monday)).slots).toEqual([])
    expect((await book(f, at(monday, 14))).__typename).toBe('SlotUnavailable')
    expect(localTimes((await slotsOn(f, monday.plus({ days: 1 }))).slots)).toEqual(FULL_DAY)
    // Lifting the cap reopens the day.
    const updated = await f.adminClient.data(UpdateCrmCalendar, {
      input: { id: f.calendarId, maxBookingsPerDayPerMember: null },
    })
    expect(updated.updateCrmCalendar.__typename).toBe('UpdateCrmCalendarSuccess')
    expect(localTimes((await slotsOn(f, monday)).slots)).toContain('14:00')
  })

  it('enforces the minimum notice and the booking window', async () => {
    const monday = upcomingMonday()
    const notice = await setUpCalendar(t, { type: 'SERVICE', settings: { minNoticeMinutes: 20 * 24 * 60 } })
    expect((await slotsOn(notice, monday)).slots).toEqual([])
    expect(await book(notice, at(monday, 10))).toMatchObject({
      __typename: 'OutsideBookingWindow',
      code: 'OUTSIDE_BOOKING_WINDOW',
    })

    const window = await setUpCalendar(t, { type: 'SERVICE', settings: { bookingWindowDays: 3 } })
    expect((await slotsOn(window, monday)).slots).toEqual([])
    expect((await book(window, at(monday, 10))).__typename).toBe('OutsideBookingWindow')

    const past = await setUpCalendar(t, { type: 'SERVICE' })
    expect((await book(past, at(monday.minus({ weeks: 3 }), 10))).__typename).toBe('OutsideBookingWindow')

    // Minimum notice cuts a day in the middle: today+notice lands inside the day's hours.
    const soon = await setUpCalendar(t, {
      type: 'SERVICE',
      workingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })),
      settings: { minNoticeMinutes: 180 },
    })
    const now = DateTime.now().setZone(ZONE)
    const data = await soon.adminClient.data(AvailabilityQuery, {
      calendarId: soon.calendarId,
      from: now.toUTC().toISO()!,
      to: now.plus({ days: 1 }).toUTC().toISO()!,
      timeZone: ZONE,
    })
    expect(Date.parse(data.availability.slots[0]!.start)).toBeGreaterThanOrEqual(now.plus({ minutes: 180 }).toMillis())
    expect(Date.parse(data.availability.slots[0]!.start)).toBeLessThan(now.plus({ minutes: 180 + 30 }).toMillis())
  })
})

describe('stale iCloud data (safe policy)', () => {
  async function integration(
    userId: string,
    subaccountId: string,
    data: { status?: 'CONNECTED' | 'NEEDS_REAUTH' | 'ERROR'; lastSyncedAt?: Date },
  ) {
    return t.services.prisma.integration.create({
      data: {
        userId,
        subaccountId,
        appleId: `${userId}@icloud.example`,
        credentialCiphertext: 'x',
        credentialKeyId: 'k',
        principalUrl: 'https://example.invalid/p/',
        homeUrl: 'https://example.invalid/h/',
        status: data.status ?? 'CONNECTED',
        lastSyncedAt: data.lastSyncedAt ?? new Date(),
      },
    })
  }

  it('keeps last known blocked slots blocking and says which members are stale and why', async () => {
    const f = await setUpCalendar(t, { type: 'ROUND_ROBIN', members: 3 })
    const [a, b, c] = f.members.map((m) => m.user.id) as [string, string, string]
    const monday = upcomingMonday()
    await integration(a, f.subaccountId, { status: 'NEEDS_REAUTH', lastSyncedAt: new Date(Date.now() - 86_400_000) })
    await integration(b, f.subaccountId, { status: 'CONNECTED', lastSyncedAt: new Date(Date.now() - 3_600_000) })
    await integration(c, f.subaccountId, { status: 'CONNECTED', lastSyncedAt: new Date() })
    // The last known iCloud event of the member who needs to re-authenticate.
    await t.services.prisma.blockedSlot.create({
      data: {
        userId: a,
        subaccountId: f.subaccountId,
        start: new Date(at(monday, 9)),
        end: new Date(at(monday, 17)),
        source: 'ICLOUD',
      },
    })
    const availability = await slotsOn(f, monday)
    expect(availability.stale).toBe(true)
    expect(availability.staleMembers).toEqual(
      expect.arrayContaining([
        { userId: userGid(a), reason: 'NEEDS_REAUTH' },
        { userId: userGid(b), reason: 'SYNC_OVERDUE' },
      ]),
    )
    expect(availability.staleMembers).toHaveLength(2)
    for (const slot of availability.slots) expect(slot.freeMembers).not.toContain(userGid(a))
    expect(localTimes(availability.slots)).toEqual(FULL_DAY)
  })

  /** A blocking calendar of the integration, as the engine leaves it after a check (lastSyncedAt null: never synced). */
  async function conflictCalendar(integrationId: string, name: string, checkedAt: Date, synced = true) {
    const calendar = await t.services.prisma.calendar.create({
      data: {
        integrationId,
        path: `/h/${name}/`,
        url: `https://example.invalid/h/${name}/`,
        displayName: name,
        kind: 'EVENT_CALENDAR',
        components: ['VEVENT'],
        writable: true,
        lastCheckedAt: checkedAt,
        lastSyncedAt: synced ? checkedAt : null,
      },
    })
    await t.services.prisma.conflictCalendar.create({ data: { integrationId, calendarId: calendar.id } })
    return calendar
  }

  it('states freshAsOf: the oldest last check among the members blocking calendars', async () => {
    const f = await setUpCalendar(t, { type: 'ROUND_ROBIN', members: 3 })
    const [a, b] = f.members.map((m) => m.user.id) as [string, string, string]
    const monday = upcomingMonday()
    // No member has iCloud calendars: nothing can be old.
    const none = await slotsOn(f, monday)
    expect(none.freshAsOf).toBe(none.generatedAt)

    const oldest = new Date(Date.now() - 40_000)
    const ia = await integration(a, f.subaccountId, {})
    const ib = await integration(b, f.subaccountId, {})
    await conflictCalendar(ia.id, `a1-${ia.id}`, new Date(Date.now() - 5_000))
    await conflictCalendar(ia.id, `a2-${ia.id}`, oldest)
    await conflictCalendar(ib.id, `b1-${ib.id}`, new Date(Date.now() - 10_000))
    // A calendar that is not chosen to block does not bound anything; the third member has no integration at all.
    await t.services.prisma.calendar.create({
      data: {
        integrationId: ib.id,
        path: `/h/other-${ib.id}/`,
        url: `https://example.invalid/h/other-${ib.id}/`,
        displayName: 'Other',
        kind: 'EVENT_CALENDAR',
        components: ['VEVENT'],
        writable: true,
        lastCheckedAt: new Date(Date.now() - 86_400_000),
      },
    })
    expect(new Date(String((await slotsOn(f, monday)).freshAsOf)).getTime()).toBe(oldest.getTime())

    // A blocking calendar the engine has not synced yet (discovery saw it): no bound.
    await conflictCalendar(ib.id, `b2-${ib.id}`, new Date(), false)
    expect((await slotsOn(f, monday)).freshAsOf).toBeNull()
  })

  it('is not stale when every integration synced recently', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    await integration(f.members[0]!.user.id, f.subaccountId, {})
    expect((await slotsOn(f, upcomingMonday())).stale).toBe(false)
  })
})
