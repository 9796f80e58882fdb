// availabilityChanged over graphql-ws: the first push is the current availability; blocked slots written the way the
// sync engine writes them, bookings, and working-hour changes push the new slots with added/removed diffs.
import { describe, expect, it } from 'vitest'
import { notifyBusyTimeChanged, notifyCalendarChanged } from '../../../src/realtime/notify.ts'
import { graphql } from '../../graphql/index.ts'
import { sharedSecrets, testRedisUrl } from '../../support/deployment.ts'
import { startTestApp, useTestApp, type TestApp } from '../../support/testApp.ts'
import { oneDay, writeICloudBusy } from './flows.ts'
import {
  at,
  book,
  rawId,
  FULL_DAY,
  localTimes,
  SetWorkingHours,
  setUpCalendar,
  upcomingMonday,
  ZONE,
} from './support.ts'

const AvailabilityChanged = graphql(`
  subscription SchedAvailabilityChanged($calendarId: ID!, $from: DateTime!, $to: DateTime!, $timeZone: TimeZone!) {
    availabilityChanged(calendarId: $calendarId, from: $from, to: $to, timeZone: $timeZone) {
      calendarId
      stale
      slots {
        start
        localStart
        freeMembers
      }
      added {
        start
      }
      removed {
        start
      }
    }
  }
`)

let t: TestApp
useTestApp((app) => (t = app))

describe('availabilityChanged', () => {
  it('pushes the initial slots, then what a sync-engine blocked slot, a booking and new hours change', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const subscriptions = t.client(f.admin.token).subscriptions()
    const live = subscriptions.subscribe(AvailabilityChanged, oneDay(f, monday))

    const initial = (await live.next()).data!.availabilityChanged
    expect(localTimes(initial.slots)).toEqual(FULL_DAY)
    expect(initial.added).toBeNull()
    expect(initial.removed).toBeNull()

    // What the sync engine does after a sync run: write the slot in its transaction, then publish.
    const userId = f.members[0]!.user.id
    await writeICloudBusy(f, at(monday, 12), at(monday, 13), 'Lunch')
    await notifyBusyTimeChanged(
      t.services,
      [userId],
      { from: new Date(at(monday, 12)), to: new Date(at(monday, 13)) },
      'sync',
    )
    const afterSync = (await live.next()).data!.availabilityChanged
    expect(localTimes(afterSync.removed!)).toEqual(['11:30', '12:00', '12:30'])
    expect(afterSync.added).toEqual([])
    expect(localTimes(afterSync.slots)).toEqual(FULL_DAY.filter((x) => !['11:30', '12:00', '12:30'].includes(x)))

    // A booking through the API.
    expect((await book(f, at(monday, 15))).__typename).toBe('BookAppointmentSuccess')
    const afterBooking = (await live.next()).data!.availabilityChanged
    expect(localTimes(afterBooking.removed!)).toEqual(['14:30', '15:00', '15:30'])

    // New working hours: 09:00–11:00 only.
    await f.adminClient.data(SetWorkingHours, {
      input: { memberId: f.members[0]!.memberId, rules: [{ weekday: 1, startMinute: 540, endMinute: 660 }] },
    })
    const afterHours = (await live.next()).data!.availabilityChanged
    expect(localTimes(afterHours.slots)).toEqual(['09:00', '09:30', '10:00'])

    // A change that does not move any slot of the range pushes nothing.
    await writeICloudBusy(f, at(monday, 20), at(monday, 21))
    await notifyBusyTimeChanged(t.services, [userId], { from: null, to: null }, 'sync')
    expect(await live.receivesWithin(400)).toBe(false)
    live.close()
    await subscriptions.close()
  })

  it('debounces a burst of changes into one push', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const subscriptions = t.client(f.admin.token).subscriptions()
    const live = subscriptions.subscribe(AvailabilityChanged, oneDay(f, monday))
    await live.next()
    for (const hour of [9, 11, 13, 15]) {
      await writeICloudBusy(f, at(monday, hour), at(monday, hour + 1))
      notifyCalendarChanged(t.services, rawId(f.calendarId), 'burst')
    }
    const push = (await live.next()).data!.availabilityChanged
    expect(localTimes(push.slots)).toEqual(['10:00', '12:00', '14:00', '16:00'])
    expect(await live.receivesWithin(300)).toBe(false)
    live.close()
    await subscriptions.close()
  })

  it('refuses calendars of another subaccount and invalid ranges', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const other = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const subscriptions = t.client(other.admin.token).subscriptions()
    const foreign = subscriptions.subscribe(AvailabilityChanged, oneDay(f, monday))
    expect((await foreign.next(5000)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND')
    const tooLong = subscriptions.subscribe(AvailabilityChanged, {
      calendarId: other.calendarId,
      from: at(monday, 0),
      to: at(monday.plus({ days: 70 }), 0),
      timeZone: ZONE,
    })
    const refused = await tooLong.next(5000)
    expect(refused.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/62 days/),
      extensions: { code: 'INVALID_INPUT' },
    })
    await subscriptions.close()
  })
})

describe('availabilityChanged across instances (Redis)', () => {
  it('hears a change published by another process', async () => {
    const env = { REDIS_URL: testRedisUrl, ...sharedSecrets('sched') }
    const a = await startTestApp(env)
    const b = await startTestApp(env)
    try {
      const f = await setUpCalendar(a, { type: 'SERVICE' })
      const monday = upcomingMonday()
      const subscriptions = a.client(f.admin.token).subscriptions()
      const live = subscriptions.subscribe(AvailabilityChanged, oneDay(f, monday))
      await live.next()
      await new Promise((resolve) => setTimeout(resolve, 300)) // the Redis SUBSCRIBE is asynchronous
      await writeICloudBusy(f, at(monday, 9), at(monday, 17))
      // Published by the other process (its sync engine, say); only Redis connects the two.
      notifyCalendarChanged(b.services, rawId(f.calendarId), 'sync on another instance')
      const push = (await live.next()).data!.availabilityChanged
      expect(push.slots).toEqual([])
      expect(push.removed).toHaveLength(FULL_DAY.length)
      live.close()
      await subscriptions.close()
    } finally {
      await a.close()
      await b.close()
    }
  })
})
