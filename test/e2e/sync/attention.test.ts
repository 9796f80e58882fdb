// Freshness follows attention: idle integrations back off after unchanged checks; an availability query makes the
// members' integrations hot (checked at the hot interval, a later check pulled in), with the real scheduler.
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { createSyncScheduler, syncDueIntegrations } from '../../../src/sync/index.ts'
import {
  createIntegrationFixture,
  eventIcs,
  stamp,
  startICloudSyncServer,
  type IntegrationFixture,
  type SyncServer,
} from '../../support/integrationFixtures.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'
import { setUpCalendar, slotsOn, upcomingMonday, type Fixture } from '../scheduling/support.ts'

let server: SyncServer
let t: TestApp
let f: Fixture
let fx: IntegrationFixture
let calendar: string

beforeAll(async () => {
  server = await startICloudSyncServer()
  t = await startTestApp({
    ICLOUD_CALDAV_URL: server.serverUrl,
    SYNC_INTERVAL_SECONDS: '2',
    SYNC_HOT_INTERVAL_SECONDS: '1',
    SYNC_IDLE_MAX_SECONDS: '10',
    SYNC_ATTENTION_MINUTES: '5',
  })
  f = await setUpCalendar(t, { type: 'SERVICE' })
  calendar = await server.makeCalendar('work', 'Work')
  await server.put(calendar, 'a.ics', eventIcs({ uid: 'a', start: stamp(1, 9), end: stamp(1, 10) }))
  fx = await createIntegrationFixture(t.services, { id: f.members[0]!.user.id, subaccountId: f.subaccountId }, server, {
    conflicts: [calendar],
  })
})
afterAll(async () => {
  await t?.close()
  await server?.stop()
})

const state = () =>
  t.services.prisma.integration.findUniqueOrThrow({
    where: { id: fx.integrationId },
    select: { nextSyncAt: true, lastSyncedAt: true, quietRuns: true, attentionUntil: true },
  })
const makeDue = () =>
  t.services.prisma.integration.update({ where: { id: fx.integrationId }, data: { nextSyncAt: new Date() } })
/** Seconds from the run's end to its next check. */
const delaySeconds = (s: Awaited<ReturnType<typeof state>>) =>
  Math.round((s.nextSyncAt.getTime() - s.lastSyncedAt!.getTime()) / 1000)

it('backs an idle integration off, doubling per unchanged check up to the maximum; a change resets it', async () => {
  await makeDue()
  await syncDueIntegrations(t.services) // the initial sync: a change
  expect((await state()).quietRuns).toBe(0)
  const delays: number[] = []
  for (let i = 0; i < 5; i++) {
    await makeDue()
    const [run] = await syncDueIntegrations(t.services)
    expect(run).toMatchObject({ outcome: 'SUCCESS', slotsChanged: false })
    delays.push(delaySeconds(await state()))
  }
  expect(delays).toEqual([2, 4, 8, 10, 10])
  expect((await state()).quietRuns).toBe(5)

  await server.put(calendar, 'b.ics', eventIcs({ uid: 'b', start: stamp(2, 9), end: stamp(2, 10) }))
  await makeDue()
  const [changed] = await syncDueIntegrations(t.services)
  expect(changed?.slotsChanged).toBe(true)
  const after = await state()
  expect(after.quietRuns).toBe(0)
  expect(delaySeconds(after)).toBe(2)
})

it('an availability query makes the members integrations hot: pulled in, then checked at the hot interval', async () => {
  // Idle far out: the next check is minutes away.
  await t.services.prisma.integration.update({
    where: { id: fx.integrationId },
    data: { nextSyncAt: new Date(Date.now() + 600_000), quietRuns: 9 },
  })
  await slotsOn(f, upcomingMonday())
  const hot = await vi.waitFor(async () => {
    const s = await state()
    expect(s.attentionUntil).not.toBeNull()
    return s
  })
  expect(hot.attentionUntil!.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000)
  expect(hot.nextSyncAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000)
  expect(hot.quietRuns).toBe(0)

  // The real scheduler picks it up and keeps checking it at the hot interval.
  const before = await t.services.prisma.syncRun.count({ where: { integrationId: fx.integrationId } })
  const worker = createSyncScheduler(t.services)
  worker.start()
  try {
    await vi.waitFor(
      async () => {
        const runs = await t.services.prisma.syncRun.count({ where: { integrationId: fx.integrationId } })
        expect(runs).toBeGreaterThanOrEqual(before + 2)
      },
      { timeout: 15_000, interval: 200 },
    )
  } finally {
    await worker.stop()
  }
  expect(delaySeconds(await state())).toBe(1)
})
