// SERVICE calendars end to end: working hours minus blocked slots and appointments (with buffers), rendering in the
// requested zone, booking, idempotency, contacts, reschedule, cancel and the write-back outbox state.
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import {
  AddMember,
  at,
  book,
  CancelAppointment,
  CreateCrmCalendar,
  FULL_DAY,
  localTimes,
  RescheduleAppointment,
  setUpCalendar,
  slotsOn,
  upcomingMonday,
  userGid,
  ZONE,
} from './support.ts'
import { seed } from './seed.ts'
import { CreateBlockedSlot } from '../blockedSlotDocuments.ts'

let t: TestApp
useTestApp((app) => (t = app))

describe('SERVICE calendar', () => {
  it('offers working hours on the slot grid, rendered in the requested time zone', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const availability = await slotsOn(f, monday, 'America/New_York')
    expect(localTimes(availability.slots)).toEqual(FULL_DAY)
    const first = availability.slots[0]!
    expect(first.start).toBe(new Date(at(monday, 9)).toISOString())
    expect(first.end).toBe(new Date(at(monday, 10)).toISOString())
    const ny = DateTime.fromISO(at(monday, 9)).setZone('America/New_York')
    expect(first.localStart).toBe(ny.toISO({ suppressMilliseconds: true }))
    expect(first.localStart).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00-0[45]:00$/)
    expect(first.freeMembers).toEqual([userGid(f.members[0]!.user.id)])
    expect(first.seatsLeft).toBeNull()
    expect(availability.stale).toBe(false)

    // Saturday: no working hours.
    expect((await slotsOn(f, monday.plus({ days: 5 }))).slots).toEqual([])
  })

  it('removes slots overlapping BUSY blocked slots but not FREE ones, to the minute', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const userId = userGid(f.members[0]!.user.id)
    const busy = await f.adminClient.data(CreateBlockedSlot, {
      input: { userId, start: at(monday, 10, 1), end: at(monday, 10, 59) },
    })
    expect(busy.createBlockedSlot.__typename).toBe('CreateBlockedSlotSuccess')
    await f.adminClient.data(CreateBlockedSlot, {
      input: { userId, start: at(monday, 13), end: at(monday, 15), availability: 'FREE' },
    })
    const times = localTimes((await slotsOn(f, monday)).slots)
    // 09:30–10:30, 10:00–11:00 and 10:30–11:30 overlap 10:01–10:59; 09:00–10:00 ends before it, 11:00 starts after.
    expect(times).toEqual(FULL_DAY.filter((x) => !['09:30', '10:00', '10:30'].includes(x)))

    // A blocked slot ending exactly when a slot starts does not block it (half-open intervals).
    const g = await seed(t).calendar({ type: 'SERVICE' }).busy(0, at(monday, 8), at(monday, 9))
    expect(localTimes((await slotsOn(g, monday)).slots)).toEqual(FULL_DAY)
  })

  it('applies buffers before and after around busy time', async () => {
    const monday = upcomingMonday()
    const f = await seed(t)
      .calendar({ type: 'SERVICE', settings: { bufferBeforeMinutes: 15, bufferAfterMinutes: 30 } })
      .busy(0, at(monday, 12), at(monday, 13))
    // Slot [s, s+60) needs [s-15, s+90) free of 12:00–13:00: s+90 <= 12:00 -> s <= 10:30; s-15 >= 13:00 -> s >= 13:15.
    const times = localTimes((await slotsOn(f, monday)).slots)
    expect(times).toEqual(['09:00', '09:30', '10:00', '10:30', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00'])
  })

  it('books a slot, reuses the contact, is idempotent, reschedules and cancels', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const first = await book(f, at(monday, 14), { idempotencyKey: 'req-1' })
    if (first.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(first))
    const appt = first.appointment
    expect(appt.status).toBe('BOOKED')
    expect(appt.icalUid).toMatch(/^[0-9a-f-]{36}@icloud-scheduling-api$/)
    expect(appt.assignedUser.id).toBe(userGid(f.members[0]!.user.id))
    expect(appt.participants).toEqual([
      { user: { id: userGid(f.members[0]!.user.id) }, active: true, writeBackState: null },
    ])
    expect(appt.contact).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' })

    // The booked hour and its neighbours (60-minute slots every 30 minutes) are gone.
    expect(localTimes((await slotsOn(f, monday)).slots)).toEqual(
      FULL_DAY.filter((x) => !['13:30', '14:00', '14:30'].includes(x)),
    )

    // Same idempotency key: the same appointment, not an error and not a second booking.
    const repeat = await book(f, at(monday, 14), { idempotencyKey: 'req-1' })
    expect(repeat.__typename === 'BookAppointmentSuccess' && repeat.appointment.id).toBe(appt.id)
    // Another booking of the same time fails with a typed error.
    const clash = await book(f, at(monday, 14, 30), { idempotencyKey: 'req-2' })
    expect(clash).toMatchObject({ __typename: 'SlotUnavailable', code: 'SLOT_UNAVAILABLE' })

    // A second booking with the same email (any case) reuses the contact.
    const second = await book(f, at(monday, 9), { email: 'ADA@example.com' })
    if (second.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(second))
    expect(second.appointment.contact.id).toBe(appt.contact.id)
    expect(await t.services.prisma.contact.count({ where: { subaccountId: f.subaccountId } })).toBe(1)

    // Off-grid and outside working hours.
    expect((await book(f, at(monday, 11, 10))).__typename).toBe('SlotUnavailable')
    expect((await book(f, at(monday, 16, 30))).__typename).toBe('SlotUnavailable')

    // A regular user of the subaccount (the widget's backend token) may book too.
    const byUser = await book(f, at(monday.plus({ days: 1 }), 9), { client: t.client(f.members[0]!.user.token) })
    expect(byUser.__typename).toBe('BookAppointmentSuccess')

    const moved = await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: appt.id, start: at(monday, 15) },
    })
    if (moved.rescheduleAppointment.__typename !== 'RescheduleAppointmentSuccess')
      throw new Error(JSON.stringify(moved))
    expect(moved.rescheduleAppointment.appointment).toMatchObject({
      start: new Date(at(monday, 15)).toISOString(),
      sequence: 1,
    })
    expect(moved.rescheduleAppointment.iCloudRecheck).toBe('NOT_NEEDED') // no member has iCloud here
    let times = localTimes((await slotsOn(f, monday)).slots)
    expect(times).toContain('14:00')
    expect(times).not.toContain('15:00')
    // Rescheduling onto an overlapping time of its own is fine: its own time does not count as busy.
    const nudged = await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: appt.id, start: at(monday, 15, 30) },
    })
    expect(nudged.rescheduleAppointment.__typename).toBe('RescheduleAppointmentSuccess')
    // Onto another booking: refused.
    const onto = await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: appt.id, start: at(monday, 9) },
    })
    expect(onto.rescheduleAppointment.__typename).toBe('SlotUnavailable')

    const cancelled = await f.adminClient.data(CancelAppointment, { input: { appointmentId: appt.id } })
    if (cancelled.cancelAppointment.__typename !== 'CancelAppointmentSuccess')
      throw new Error(JSON.stringify(cancelled))
    expect(cancelled.cancelAppointment.appointment).toMatchObject({ status: 'CANCELLED', sequence: 3 })
    expect(cancelled.cancelAppointment.appointment.participants.every((p) => !p.active)).toBe(true)
    times = localTimes((await slotsOn(f, monday)).slots)
    expect(times).toContain('15:30')
    // Cancelling again is a no-op; rescheduling a cancelled appointment is a typed error.
    const again = await f.adminClient.data(CancelAppointment, { input: { appointmentId: appt.id } })
    expect(
      again.cancelAppointment.__typename === 'CancelAppointmentSuccess' && again.cancelAppointment.appointment.sequence,
    ).toBe(3)
    const late = await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: appt.id, start: at(monday, 12) },
    })
    expect(late.rescheduleAppointment.__typename).toBe('AppointmentCancelled')
  })

  it('marks participants with a linked iCloud calendar PENDING for the write-back outbox', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const user = f.members[0]!.user
    const integration = await t.services.prisma.integration.create({
      data: {
        userId: user.id,
        subaccountId: f.subaccountId,
        appleId: `${user.id}@icloud.example`,
        credentialCiphertext: 'x',
        credentialKeyId: 'k',
        principalUrl: 'https://example.invalid/p/',
        homeUrl: 'https://example.invalid/h/',
        lastSyncedAt: new Date(),
        calendars: {
          create: {
            path: '/h/work/',
            url: 'https://example.invalid/h/work/',
            displayName: 'Work',
            kind: 'EVENT_CALENDAR',
            components: ['VEVENT'],
            writable: true,
          },
        },
      },
      include: { calendars: true },
    })
    await t.services.prisma.linkedCalendar.create({
      data: { integrationId: integration.id, calendarId: integration.calendars[0]!.id },
    })
    const monday = upcomingMonday()
    const booked = await book(f, at(monday, 10))
    if (booked.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(booked))
    expect(booked.appointment.participants[0]!.writeBackState).toBe('PENDING')
    const row = await t.services.prisma.appointmentParticipant.findFirstOrThrow({ where: { userId: user.id } })
    expect(row.remoteCalendarId).toBe(integration.calendars[0]!.id)

    // The outbox marks it written; a reschedule makes it PENDING again with a bumped sequence, so does a cancel.
    await t.services.prisma.appointmentParticipant.update({
      where: { id: row.id },
      data: { writeBackState: 'SYNCED', pushedSequence: 0 },
    })
    const moved = await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: booked.appointment.id, start: at(monday, 11) },
    })
    expect(
      moved.rescheduleAppointment.__typename === 'RescheduleAppointmentSuccess' &&
        moved.rescheduleAppointment.appointment.participants[0]!.writeBackState,
    ).toBe('PENDING')
    await t.services.prisma.appointmentParticipant.update({
      where: { id: row.id },
      data: { writeBackState: 'SYNCED', pushedSequence: 1 },
    })
    const cancelled = await f.adminClient.data(CancelAppointment, { input: { appointmentId: booked.appointment.id } })
    expect(
      cancelled.cancelAppointment.__typename === 'CancelAppointmentSuccess' &&
        cancelled.cancelAppointment.appointment.participants[0],
    ).toMatchObject({ active: false, writeBackState: 'PENDING' })
  })

  it('counts appointments on other calendars as busy (a person is busy across calendars)', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    // A second calendar of the same subaccount with the same member.
    const other = await f.adminClient.data(CreateCrmCalendar, {
      input: { name: 'Other', type: 'SERVICE', timeZone: ZONE, slotDurationMinutes: 60, slotIntervalMinutes: 60 },
    })
    if (other.createCrmCalendar.__typename !== 'CreateCrmCalendarSuccess') throw new Error('calendar')
    await f.adminClient.data(AddMember, {
      input: {
        calendarId: other.createCrmCalendar.crmCalendar.id,
        userId: userGid(f.members[0]!.user.id),
        workingHours: [{ weekday: 1, startMinute: 540, endMinute: 1020 }],
      },
    })
    const booked = await book({ ...f, calendarId: other.createCrmCalendar.crmCalendar.id }, at(monday, 12))
    expect(booked.__typename).toBe('BookAppointmentSuccess')
    expect(localTimes((await slotsOn(f, monday)).slots)).not.toContain('12:00')
  })
})
