// Invitees' live availability (publicAvailabilityChanged) on shared feeds: invitees of the same published calendar and
// range share one computation per change, each rendered in its own zone; a newcomer's first push comes from the shared
// state; unpublishing or a new address ends every stream with CALENDAR_NOT_FOUND and frees the address's slots.
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { PublicAvailabilityChangedDocument } from '../../../web/generated/graphql.ts'
import type { PublicSubscriptionClient } from '../../support/publicClient.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, upcomingMonday, ZONE } from '../scheduling/support.ts'
import {
  publicClient,
  PublishCrmCalendar,
  setUpPublishedCalendar,
  UpdateSubaccount,
  type PublishedFixture,
} from './support.ts'
import { blockHour } from '../scheduling/flows.ts'

let t: TestApp
// Few live subscriptions per address, so that a slot not given back shows.
useTestApp((app) => (t = app), { PUBLIC_SUBSCRIPTIONS_PER_IP: '4' })

const ZONES = [ZONE, 'America/New_York']
const day = upcomingMonday()
const computations = () => t.services.liveAvailability.stats().computations

function subscribeMany(client: PublicSubscriptionClient, f: PublishedFixture, count: number) {
  const range = { ...f.slugs, from: at(day, 0), to: at(day.plus({ days: 1 }), 0) }
  return Array.from({ length: count }, (_, i) =>
    client.subscribe(PublicAvailabilityChangedDocument, { ...range, timeZone: ZONES[i % ZONES.length]! }),
  )
}

/** Closes the client and waits until the server has let go of its subscriptions (and their slots). */
async function close(client: PublicSubscriptionClient): Promise<void> {
  await client.close()
  const deadline = Date.now() + 10_000
  while (t.services.liveAvailability.stats().subscribers > 0) {
    if (Date.now() > deadline) throw new Error('subscriptions still open')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('shared public live availability', () => {
  it('computes once per change for invitees of one calendar and range, rendering each in its own zone', async () => {
    const f = await setUpPublishedCalendar(t)
    const client = publicClient(t).subscriptions()
    const lives = subscribeMany(client, f, 4)
    const firsts = await Promise.all(lives.map((live) => live.next()))
    expect(firsts.map((r) => r.data!.publicAvailabilityChanged.slots.length)).toEqual([15, 15, 15, 15])

    const before = computations()
    await blockHour(f, day, 12)
    const pushes = await Promise.all(lives.map((live) => live.next()))
    expect(computations() - before).toBe(1)
    pushes.forEach((push, i) => {
      const zone = ZONES[i % ZONES.length]!
      const { timeZone, slots } = push.data!.publicAvailabilityChanged
      expect(timeZone).toBe(zone)
      expect(slots.map((s) => s.start)).not.toContain(at(day, 12))
      expect(slots.length).toBe(12)
      for (const slot of slots) {
        expect(slot.localStart).toBe(DateTime.fromISO(slot.start).setZone(zone).toISO({ suppressMilliseconds: true }))
      }
    })
    // Each push went out as one JSON message, the same text for invitees of one zone.
    const pushTexts = client.rawMessages
      .map((raw) => JSON.parse(raw) as { type: string; payload?: unknown })
      .filter((message) => message.type === 'next')
      .map((message) => JSON.stringify(message.payload))
    expect(new Set(pushTexts.slice(-4)).size).toBe(2)
    await close(client)
  })

  it('serves a newcomer from the shared state, without a computation', async () => {
    const f = await setUpPublishedCalendar(t)
    const client = publicClient(t).subscriptions()
    const [first] = subscribeMany(client, f, 1)
    await first!.next()
    const before = computations()
    const newcomers = subscribeMany(client, f, 3)
    const theirFirst = await Promise.all(newcomers.map((live) => live.next()))
    expect(computations()).toBe(before)
    expect(theirFirst.map((r) => r.data!.publicAvailabilityChanged.slots.length)).toEqual([15, 15, 15])
    await close(client)
  })

  it('ends every stream with CALENDAR_NOT_FOUND when the calendar is unpublished, giving the slots back', async () => {
    const f = await setUpPublishedCalendar(t)
    const client = publicClient(t).subscriptions()
    const lives = subscribeMany(client, f, 4)
    await Promise.all(lives.map((live) => live.next()))
    await f.adminClient.data(PublishCrmCalendar, { input: { calendarId: f.calendarId, published: false } })
    for (const live of lives) {
      await expect(live.next()).rejects.toThrow(/CALENDAR_NOT_FOUND/)
    }

    await f.adminClient.data(PublishCrmCalendar, { input: { calendarId: f.calendarId, published: true } })
    const again = subscribeMany(client, f, 4)
    const firsts = await Promise.all(again.map((live) => live.next()))
    expect(firsts.map((r) => r.errors ?? r.data!.publicAvailabilityChanged.slots.length)).toEqual([15, 15, 15, 15])
    await close(client)
  })

  it('ends the streams of the old address when the subaccount slug changes', async () => {
    const f = await setUpPublishedCalendar(t)
    const client = publicClient(t).subscriptions()
    const [live] = subscribeMany(client, f, 1)
    await live!.next()
    const renamed = await f.adminClient.data(UpdateSubaccount, { input: { slug: `${f.subaccountSlug}-new` } })
    expect(renamed.updateSubaccount.__typename).toBe('UpdateSubaccountSuccess')
    await expect(live!.next()).rejects.toThrow(/CALENDAR_NOT_FOUND/)
    const [stale] = subscribeMany(client, f, 1)
    expect((await stale!.next()).errors?.[0]?.extensions?.code).toBe('CALENDAR_NOT_FOUND')
    await close(client)
  })
})
