// Booking-time re-check: an event added on the server a moment before a booking (after the last sync tick) is caught
// by one incremental sync of the member's conflict calendars, bounded by BOOKING_RECHECK_TIMEOUT_MS; the booking
// transaction then refuses the slot and availability subscribers hear about it. A slow server or a sync already
// running elsewhere never holds the booking up.
import { describe, expect, it } from 'vitest'
import { syncIntegration } from '../../../src/sync/index.ts'
import { recheckICloudBeforeBooking } from '../../../src/writeBack/bookingRecheck.ts'
import { eventIcs, stamp, type SyncServer } from '../../support/integrationFixtures.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import {
  at,
  BookAppointment,
  localTimes,
  RescheduleAppointment,
  upcomingMonday,
  type Fixture,
} from '../scheduling/support.ts'
import { oneDay } from '../scheduling/flows.ts'
import { WriteBackAvailabilityChanged } from './documents.ts'
import { linkedMember, serverKinds, useSyncServer, utc } from './support.ts'

async function bookLive(f: Fixture, start: string) {
  const data = await f.adminClient.data(BookAppointment, {
    input: { calendarId: f.calendarId, start, contact: { name: 'Grace Hopper', email: 'grace@example.com' } },
  })
  return data.bookAppointment
}

let t: TestApp
useTestApp((app) => (t = app), { BOOKING_RECHECK_TIMEOUT_MS: '1500' })

describe.each(serverKinds)('booking re-check on $name', (kind) => {
  let server: SyncServer
  useSyncServer(kind, (started) => (server = started))

  it('catches an event added on the server a moment before the booking', async () => {
    const { f, login, userId, calendarUrl, integrationId } = await linkedMember(t, server)
    const monday = upcomingMonday()
    const live = t.client(f.admin.token).subscriptions().subscribe(WriteBackAvailabilityChanged, oneDay(f, monday))
    expect(localTimes((await live.next()).data!.availabilityChanged.slots)).toContain('11:00')

    await login.put(
      calendarUrl,
      'dentist.ics',
      eventIcs({
        uid: `dentist-${stamp(0)}`,
        start: utc(at(monday, 11)),
        end: utc(at(monday, 12)),
        summary: 'Dentist',
      }),
    )
    // No sync ran since the event was added: only the booking's own re-check can see it.
    const refused = await bookLive(f, at(monday, 11))
    expect(refused.__typename).toBe('SlotUnavailable')
    const pushed = await live.nextMatching((d) => !localTimes(d.availabilityChanged.slots).includes('11:00'))
    expect(localTimes(pushed.availabilityChanged.slots)).toContain('09:00')
    live.close()
    expect(await t.services.prisma.syncRun.count({ where: { integrationId, trigger: 'BOOKING' } })).toBe(1)
    const other = await bookLive(f, at(monday, 9))
    expect(other).toMatchObject({ __typename: 'BookAppointmentSuccess', iCloudRecheck: 'LIVE' })
    if (other.__typename !== 'BookAppointmentSuccess') return

    // A reschedule re-checks too: an event added a moment ago refuses the move, and a free time says LIVE.
    await login.put(
      calendarUrl,
      'gym.ics',
      eventIcs({ uid: `gym-${stamp(0)}`, start: utc(at(monday, 13)), end: utc(at(monday, 14)), summary: 'Gym' }),
    )
    const move = (start: string) =>
      f.adminClient.data(RescheduleAppointment, { input: { appointmentId: other.appointment.id, start } })
    expect((await move(at(monday, 13))).rescheduleAppointment.__typename).toBe('SlotUnavailable')
    expect((await move(at(monday, 15))).rescheduleAppointment).toMatchObject({
      __typename: 'RescheduleAppointmentSuccess',
      iCloudRecheck: 'LIVE',
    })
    expect(await recheckICloudBeforeBooking(t.services, { subaccountId: f.subaccountId, userIds: [userId] })).toBe(
      'LIVE',
    )
  })

  it('says NOT_NEEDED for members without iCloud and SKIPPED while another process holds the sync lease', async () => {
    const { f, userId, integrationId } = await linkedMember(t, server)
    expect(await recheckICloudBeforeBooking(t.services, { subaccountId: f.subaccountId, userIds: ['nobody'] })).toBe(
      'NOT_NEEDED',
    )
    await t.services.prisma.integration.update({
      where: { id: integrationId },
      data: { leaseOwner: 'another-process', leaseUntil: new Date(Date.now() + 60_000) },
    })
    expect(await recheckICloudBeforeBooking(t.services, { subaccountId: f.subaccountId, userIds: [userId] })).toBe(
      'SKIPPED',
    )
    expect(await t.services.prisma.syncRun.count({ where: { integrationId, trigger: 'BOOKING' } })).toBe(0)
  })
})

describe('booking re-check against a slow iCloud', () => {
  let server: SyncServer
  useSyncServer(serverKinds[2], (started) => (server = started))

  it('gives up after the timeout and lets the booking use the last synced data', async () => {
    const { f, userId } = await linkedMember(t, server)
    server.icloud!.quirks.delayMs = 4_000
    const started = Date.now()
    const booked = await bookLive(f, at(upcomingMonday(), 11))
    const took = Date.now() - started
    server.icloud!.resetQuirks()
    expect(booked).toMatchObject({ __typename: 'BookAppointmentSuccess', iCloudRecheck: 'TIMED_OUT' })
    expect(took).toBeGreaterThanOrEqual(1_400)
    expect(took).toBeLessThan(3_500)
    expect(await recheckICloudBeforeBooking(t.services, { subaccountId: f.subaccountId, userIds: [userId] })).not.toBe(
      'NOT_NEEDED',
    )
  })

  it('answers SKIPPED inside a Retry-After window, without a request to iCloud', async () => {
    const { f, userId, integrationId } = await linkedMember(t, server)
    server.icloud!.quirks.throttle = { count: 10, retryAfterSeconds: 120 }
    expect((await syncIntegration(t.services, integrationId, 'MANUAL'))?.outcome).toBe('RATE_LIMITED')
    server.icloud!.resetQuirks()
    server.icloud!.clearRequests()
    expect(await recheckICloudBeforeBooking(t.services, { subaccountId: f.subaccountId, userIds: [userId] })).toBe(
      'SKIPPED',
    )
    expect(server.icloud!.requests).toEqual([])
    expect(await t.services.prisma.syncRun.count({ where: { integrationId, trigger: 'BOOKING' } })).toBe(0)
  })
})
