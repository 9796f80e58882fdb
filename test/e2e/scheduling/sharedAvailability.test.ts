// Subscribers of the same (calendar, range) share one computation per change, each rendered in its own time zone;
// a burst is one computation; a newcomer's first push comes from the shared state.
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { graphql } from '../../graphql/index.ts'
import type { LiveSubscription, SubscriptionTestClient } from '../../support/graphqlClient.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, setUpCalendar, upcomingMonday, ZONE, type Fixture } from './support.ts'
import { blockHour } from './flows.ts'

const SharedAvailability = graphql(`
  subscription SharedAvailability($calendarId: ID!, $from: DateTime!, $to: DateTime!, $timeZone: TimeZone!) {
    availabilityChanged(calendarId: $calendarId, from: $from, to: $to, timeZone: $timeZone) {
      timeZone
      slots {
        start
        localStart
      }
      removed {
        start
        localStart
      }
    }
  }
`)

type Live = LiveSubscription<{
  availabilityChanged: {
    timeZone: string
    slots: { start: string; localStart: string }[]
    removed: { start: string; localStart: string }[] | null
  }
}>

const ZONES = [ZONE, 'America/New_York', 'Asia/Kolkata']

let t: TestApp
useTestApp((app) => (t = app))

const computations = () => t.services.liveAvailability.stats().computations

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

function subscribeMany(client: SubscriptionTestClient, f: Fixture, day: DateTime, count: number): Live[] {
  const range = { calendarId: f.calendarId, from: at(day, 0), to: at(day.plus({ days: 1 }), 0) }
  return Array.from({ length: count }, (_, i) =>
    client.subscribe(SharedAvailability, { ...range, timeZone: ZONES[i % ZONES.length]! }),
  )
}

describe('shared live availability', () => {
  it('computes once per change for 50 subscribers and renders each in its own zone', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const client = t.client(f.admin.token).subscriptions()
    const lives = subscribeMany(client, f, monday, 50)
    const firsts = await Promise.all(lives.map((live) => live.next()))
    expect(t.services.liveAvailability.stats()).toMatchObject({ feeds: 1, subscribers: 50 })

    const before = computations()
    await blockHour(f, monday, 12)
    const pushes = await Promise.all(lives.map((live) => live.next()))
    expect(computations() - before).toBe(1)

    pushes.forEach((push, i) => {
      const zone = ZONES[i % ZONES.length]!
      const { timeZone, slots, removed } = push.data!.availabilityChanged
      expect(timeZone).toBe(zone)
      for (const slot of [...slots, ...removed!]) {
        expect(slot.localStart).toBe(DateTime.fromISO(slot.start).setZone(zone).toISO({ suppressMilliseconds: true }))
      }
      expect(slots.length).toBe(firsts[i]!.data!.availabilityChanged.slots.length - 3)
      expect(removed!.map((s) => s.start)).toEqual([at(monday, 11, 30), at(monday, 12), at(monday, 12, 30)])
    })
    await client.close()
    await waitFor(() => t.services.liveAvailability.stats().feeds === 0)
  })

  it('turns a burst into one computation and serves a newcomer from the shared state', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const client = t.client(f.admin.token).subscriptions()
    const [first] = subscribeMany(client, f, monday, 1)
    await first!.next()

    const beforeBurst = computations()
    for (const hour of [9, 11, 13, 15]) await blockHour(f, monday, hour)
    const push = (await first!.next()).data!.availabilityChanged
    expect(push.slots.map((s) => s.start)).toEqual([at(monday, 10), at(monday, 12), at(monday, 14), at(monday, 16)])
    expect(computations() - beforeBurst).toBe(1)

    const beforeNewcomers = computations()
    const newcomers = subscribeMany(client, f, monday, 10)
    const theirFirst = await Promise.all(newcomers.map((live) => live.next()))
    expect(computations()).toBe(beforeNewcomers)
    expect(theirFirst.map((r) => r.data!.availabilityChanged.slots.length)).toEqual(Array(10).fill(4))
    await client.close()
  })

  it('keeps different ranges apart', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const client = t.client(f.admin.token).subscriptions()
    const [mondayLive] = subscribeMany(client, f, monday, 1)
    const [tuesdayLive] = subscribeMany(client, f, monday.plus({ days: 1 }), 1)
    await mondayLive!.next()
    await tuesdayLive!.next()
    expect(t.services.liveAvailability.stats().feeds).toBeGreaterThanOrEqual(2)

    await blockHour(f, monday.plus({ days: 1 }), 9)
    const tuesdayPush = (await tuesdayLive!.next()).data!.availabilityChanged
    const tuesday = monday.plus({ days: 1 })
    expect(tuesdayPush.removed!.map((s) => s.start)).toEqual([at(tuesday, 9), at(tuesday, 9, 30)])
    expect(await mondayLive!.receivesWithin(300)).toBe(false)
    await client.close()
  })
})
