// Validation, authorization and tenancy of the scheduling API.
import { describe, expect, it } from 'vitest'
import { createUser } from '../../support/factories.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import {
  AddMember,
  at,
  AvailabilityQuery,
  book,
  CreateCrmCalendar,
  SetWorkingHours,
  setUpCalendar,
  upcomingMonday,
  UpdateCrmCalendar,
  userGid,
  ZONE,
} from './support.ts'

let t: TestApp
useTestApp((app) => (t = app))

describe('availability ranges', () => {
  it('rejects from >= to, more than 62 days and unknown time zones', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const ask = (from: string, to: string, timeZone = ZONE) =>
      f.adminClient.execute(AvailabilityQuery, { calendarId: f.calendarId, from, to, timeZone })

    const backwards = await ask(at(monday, 10), at(monday, 9))
    expect(backwards.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/before/),
      extensions: { code: 'INVALID_INPUT' },
    })
    const empty = await ask(at(monday, 10), at(monday, 10))
    expect(empty.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT')
    const long = await ask(at(monday, 0), at(monday.plus({ days: 63 }), 0))
    expect(long.errors?.[0]?.message).toMatch(/62 days/)
    const ok = await ask(at(monday, 0), at(monday.plus({ days: 62 }), 0))
    expect(ok.errors).toBeUndefined()
    expect(ok.data?.availability.slots.length).toBeGreaterThan(100)
    const zone = await ask(at(monday, 0), at(monday, 12), 'Mars/Olympus_Mons')
    expect(zone.errors?.[0]?.message).toMatch(/time zone/i)
  })
})

describe('authorization and tenancy', () => {
  it('lets only admins manage calendars, and anyone in the subaccount book', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const user = await createUser(t.services, f.subaccountId)
    const client = t.client(user.token)
    const create = await client.data(CreateCrmCalendar, { input: { name: 'Nope', type: 'SERVICE' } })
    expect(create.createCrmCalendar).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' })
    const update = await client.data(UpdateCrmCalendar, { input: { id: f.calendarId, slotDurationMinutes: 15 } })
    expect(update.updateCrmCalendar.__typename).toBe('ForbiddenError')
    const hours = await client.data(SetWorkingHours, { input: { memberId: f.members[0]!.memberId, rules: [] } })
    expect(hours.setWorkingHours.__typename).toBe('ForbiddenError')
    expect((await book(f, at(upcomingMonday(), 10), { client })).__typename).toBe('BookAppointmentSuccess')
  })

  it('never reads or books a calendar of another subaccount', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const other = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const read = await other.adminClient.execute(AvailabilityQuery, {
      calendarId: f.calendarId,
      from: at(monday, 0),
      to: at(monday, 23),
      timeZone: ZONE,
    })
    expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND')
    expect((await book(f, at(monday, 10), { client: other.adminClient })).__typename).toBe('NotFoundError')
    // Nor add a user of another subaccount as a member.
    const added = await f.adminClient.data(AddMember, {
      input: { calendarId: f.calendarId, userId: userGid(other.members[0]!.user.id) },
    })
    expect(added.addCrmCalendarMember.__typename).toBe('NotFoundError')
  })
})

describe('settings validation', () => {
  it('rejects impossible settings and working hours with ValidationError', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const noSeats = await f.adminClient.data(CreateCrmCalendar, { input: { name: 'Yoga', type: 'CLASS_BOOKING' } })
    expect(noSeats.createCrmCalendar.__typename).toBe('ValidationError')
    const zero = await f.adminClient.data(UpdateCrmCalendar, { input: { id: f.calendarId, slotDurationMinutes: 0 } })
    expect(zero.updateCrmCalendar.__typename).toBe('ValidationError')
    const seatsOnService = await f.adminClient.data(UpdateCrmCalendar, { input: { id: f.calendarId, seatsPerSlot: 4 } })
    expect(seatsOnService.updateCrmCalendar.__typename).toBe('ValidationError')
    const badHours = await f.adminClient.data(SetWorkingHours, {
      input: { memberId: f.members[0]!.memberId, rules: [{ weekday: 8, startMinute: 60, endMinute: 30 }] },
    })
    expect(badHours.setWorkingHours.__typename).toBe('ValidationError')
    const twice = await f.adminClient.data(AddMember, {
      input: { calendarId: f.calendarId, userId: userGid(f.members[0]!.user.id) },
    })
    expect(twice.addCrmCalendarMember.__typename).toBe('ValidationError')
  })

  it('reports a calendar without members as not bookable', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE', members: 0 })
    expect((await book(f, at(upcomingMonday(), 10))).__typename).toBe('CalendarNotBookable')
  })
})
