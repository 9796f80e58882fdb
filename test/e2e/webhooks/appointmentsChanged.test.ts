// appointmentsChanged over graphql-ws: a calendar's feed and a participant's feed hear bookings, reschedules and
// cancellations made in the CRM, and edits and removals made in iCloud (iCloud-faithful server); across two
// instances through Redis. Exactly one of calendarId or userId.
import { describe, expect, it } from 'vitest'
import { syncIntegration } from '../../../src/sync/index.ts'
import { graphql } from '../../graphql/index.ts'
import { testRedisUrl, useTwoInstances } from '../../support/deployment.ts'
import type { SyncServer } from '../../support/integrationFixtures.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import {
  at,
  CancelAppointment,
  RescheduleAppointment,
  setUpCalendar,
  upcomingMonday,
  userGid,
} from '../scheduling/support.ts'
import { bookOrThrow } from '../scheduling/flows.ts'
import {
  bookWrittenToICloud,
  editedInICloud,
  fileOf,
  linkedMember,
  serverKinds,
  useSyncServer,
  utc,
} from '../writeBack/support.ts'

const AppointmentsChanged = graphql(`
  subscription WebhooksAppointmentsChanged($calendarId: ID, $userId: ID) {
    appointmentsChanged(calendarId: $calendarId, userId: $userId) {
      kind
      appointmentId
      calendarId
      at
      appointment {
        id
        start
        status
        title
      }
    }
  }
`)

/** graphql-ws subscribes asynchronously: give the SUBSCRIBE (Redis too) a moment before changing anything. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500))

describe('appointmentsChanged on one instance', () => {
  let t: TestApp
  useTestApp((app) => (t = app))

  it('streams bookings, reschedules and cancellations to the calendar and the participant', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const member = f.members[0]!.user
    const adminSubs = t.client(f.admin.token).subscriptions()
    const memberSubs = t.client(member.token).subscriptions()
    const byCalendar = adminSubs.subscribe(AppointmentsChanged, { calendarId: f.calendarId })
    const byUser = memberSubs.subscribe(AppointmentsChanged, { userId: userGid(member.id) })
    await settle()

    const booked = await bookOrThrow(f, at(upcomingMonday(), 10))
    await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: booked.appointment.id, start: at(upcomingMonday(), 12) },
    })
    await f.adminClient.data(CancelAppointment, { input: { appointmentId: booked.appointment.id } })

    for (const live of [byCalendar, byUser]) {
      const kinds = []
      for (let i = 0; i < 3; i++) {
        const change = (await live.next()).data!.appointmentsChanged
        expect(change).toMatchObject({ appointmentId: booked.appointment.id, calendarId: f.calendarId })
        expect(change.appointment?.id).toBe(booked.appointment.id)
        kinds.push(change.kind)
      }
      expect(kinds).toEqual(['BOOKED', 'RESCHEDULED', 'CANCELLED'])
      live.close()
    }
    await adminSubs.close()
    await memberSubs.close()
  })

  it('refuses a feed without exactly one of calendarId or userId, and another subaccount’s calendar', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const other = await setUpCalendar(t, { type: 'SERVICE' })
    const subs = t.client(f.admin.token).subscriptions()
    for (const variables of [{}, { calendarId: f.calendarId, userId: userGid(f.members[0]!.user.id) }]) {
      const live = subs.subscribe(AppointmentsChanged, variables)
      const result = await live.next()
      expect(result.errors?.[0]?.message).toMatch(/exactly one of calendarId or userId/)
    }
    const foreign = await subs.subscribe(AppointmentsChanged, { calendarId: other.calendarId }).next()
    expect(foreign.errors?.[0]?.message).toMatch(/not found/)
    await subs.close()
  })

  describe('with iCloud', () => {
    let server: SyncServer
    useSyncServer(serverKinds[2], (started) => (server = started))

    it('streams an edit and a removal made in iCloud', async () => {
      const m = await linkedMember(t, server)
      const { f, login, userId, calendarUrl, integrationId } = m
      const monday = upcomingMonday()
      const { remoteHref, original } = await bookWrittenToICloud(t, m, at(monday, 10))

      const subs = t.client(f.admin.token).subscriptions()
      const live = subs.subscribe(AppointmentsChanged, { userId: userGid(userId) })
      await settle()
      await login.put(
        calendarUrl,
        fileOf(remoteHref),
        editedInICloud(original.data, utc(at(monday, 14)), utc(at(monday, 15)), 'Moved in iCloud', 'Room 4'),
      )
      await syncIntegration(t.services, integrationId, 'MANUAL')
      const edited = (await live.next()).data!.appointmentsChanged
      expect(edited).toMatchObject({
        kind: 'UPDATED_IN_ICLOUD',
        appointment: { start: new Date(at(monday, 14)).toISOString(), title: 'Moved in iCloud' },
      })
      await login.remove(calendarUrl, fileOf(remoteHref))
      await syncIntegration(t.services, integrationId, 'MANUAL')
      const removed = (await live.next()).data!.appointmentsChanged
      expect(removed).toMatchObject({ kind: 'REMOVED_IN_ICLOUD', appointment: { status: 'BOOKED' } })
      live.close()
      await subs.close()
    })
  })
})

describe('appointmentsChanged across instances with Redis', () => {
  let a: TestApp
  let b: TestApp
  useTwoInstances(
    'appt_changes',
    (instances) => ({ a, b } = instances),
    () => ({ REDIS_URL: testRedisUrl }),
  )

  it('tells a subscriber on instance A about a booking made through instance B', async () => {
    const f = await setUpCalendar(a, { type: 'SERVICE' })
    const subs = a.client(f.admin.token).subscriptions()
    const live = subs.subscribe(AppointmentsChanged, { calendarId: f.calendarId })
    await settle()
    const booked = await bookOrThrow(f, at(upcomingMonday(), 10), { client: b.client(f.admin.token) })
    const change = (await live.next(10_000)).data!.appointmentsChanged
    expect(change).toMatchObject({ kind: 'BOOKED', appointmentId: booked.appointment.id })
    live.close()
    await subs.close()
  })
})
