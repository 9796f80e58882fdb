// appointmentsChanged over graphql-ws: a calendar's feed and a participant's feed hear bookings, reschedules and
// cancellations made in the CRM, and edits and removals made in iCloud (iCloud-faithful server); across two
// instances through Redis. Exactly one of calendarId or userId.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateEncryptionKey } from '../../../src/security/secrets.ts'
import { syncIntegration } from '../../../src/sync/index.ts'
import { graphql } from '../../graphql/index.ts'
import { startICloudSyncServer, type SyncServer } from '../../support/integrationFixtures.ts'
import { dropSchema, startTestApp, testDatabaseUrl, type TestApp } from '../../support/testApp.ts'
import {
  at,
  book,
  CancelAppointment,
  RescheduleAppointment,
  setUpCalendar,
  upcomingMonday,
  userGid,
} from '../scheduling/support.ts'
import { bookWrittenToICloud, editedInICloud, fileOf, setUpLinkedCalendar, utc } from '../writeBack/support.ts'

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
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(async () => {
    await t?.close()
  })

  it('streams bookings, reschedules and cancellations to the calendar and the participant', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const member = f.members[0]!.user
    const adminSubs = t.client(f.admin.token).subscriptions()
    const memberSubs = t.client(member.token).subscriptions()
    const byCalendar = adminSubs.subscribe(AppointmentsChanged, { calendarId: f.calendarId })
    const byUser = memberSubs.subscribe(AppointmentsChanged, { userId: userGid(member.id) })
    await settle()

    const booked = await book(f, at(upcomingMonday(), 10))
    if (booked.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(booked))
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
    beforeAll(async () => {
      server = await startICloudSyncServer()
    }, 60_000)
    afterAll(async () => {
      await server?.stop()
    })

    it('streams an edit and a removal made in iCloud', async () => {
      const [m] = await setUpLinkedCalendar(t, server)
      const { f, login, userId, calendarUrl, integrationId } = m!
      const monday = upcomingMonday()
      const { remoteHref, original } = await bookWrittenToICloud(t, m!, at(monday, 10))

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
  const databaseUrl = testDatabaseUrl ?? 'postgres://postgres@127.0.0.1:5432/test'
  const schema = `appt_changes_${randomBytes(6).toString('hex')}`
  let a: TestApp
  let b: TestApp
  beforeAll(async () => {
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      AUTH_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEYS: generateEncryptionKey('appt'),
    }
    a = await startTestApp(env, { databaseSchema: schema })
    b = await startTestApp(env, { databaseSchema: schema })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await dropSchema(databaseUrl, schema)
  })

  it('tells a subscriber on instance A about a booking made through instance B', async () => {
    const f = await setUpCalendar(a, { type: 'SERVICE' })
    const subs = a.client(f.admin.token).subscriptions()
    const live = subs.subscribe(AppointmentsChanged, { calendarId: f.calendarId })
    await settle()
    const booked = await book(f, at(upcomingMonday(), 10), { client: b.client(f.admin.token) })
    if (booked.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(booked))
    const change = (await live.next(10_000)).data!.appointmentsChanged
    expect(change).toMatchObject({ kind: 'BOOKED', appointmentId: booked.appointment.id })
    live.close()
    await subs.close()
  })
})
