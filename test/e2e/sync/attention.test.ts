// Freshness follows attention: idle integrations back off after unchanged checks; an availability query makes the
// members' integrations hot (checked at the hot interval, a later check pulled in), with the real scheduler.
import { expect, it, vi } from 'vitest'
import { createSyncScheduler, syncDueIntegrations } from '../../../src/sync/index.ts'
import { eventIcs, stamp } from '../../support/integrationFixtures.ts'
import { useSyncScenario, type SyncScenario } from '../../support/syncScenario.ts'
import { setUpCalendar, slotsOn, upcomingMonday, type Fixture } from '../scheduling/support.ts'

let s: SyncScenario
let f: Fixture
useSyncScenario(
  {
    env: {
      SYNC_INTERVAL_SECONDS: '2',
      SYNC_HOT_INTERVAL_SECONDS: '1',
      SYNC_IDLE_MAX_SECONDS: '10',
      SYNC_ATTENTION_MINUTES: '5',
    },
    // The member of a CRM calendar, so that an availability query on it reaches the integration.
    owner: async (t) => (f = await setUpCalendar(t, { type: 'SERVICE' })).members[0]!.user,
  },
  (started) => (s = started),
)

const state = () =>
  s.t.services.prisma.integration.findUniqueOrThrow({
    where: { id: s.fx.integrationId },
    select: { nextSyncAt: true, lastSyncedAt: true, quietRuns: true, attentionUntil: true },
  })
const makeDue = () =>
  s.t.services.prisma.integration.update({ where: { id: s.fx.integrationId }, data: { nextSyncAt: new Date() } })
/** Seconds from the run's end to its next check. */
const delaySeconds = (row: Awaited<ReturnType<typeof state>>) =>
  Math.round((row.nextSyncAt.getTime() - row.lastSyncedAt!.getTime()) / 1000)

it('backs an idle integration off, doubling per unchanged check up to the maximum; a change resets it', async () => {
  await makeDue()
  await syncDueIntegrations(s.t.services) // the initial sync: a change
  expect((await state()).quietRuns).toBe(0)
  const delays: number[] = []
  for (let i = 0; i < 5; i++) {
    await makeDue()
    const [run] = await syncDueIntegrations(s.t.services)
    expect(run).toMatchObject({ outcome: 'SUCCESS', slotsChanged: false })
    delays.push(delaySeconds(await state()))
  }
  expect(delays).toEqual([2, 4, 8, 10, 10])
  expect((await state()).quietRuns).toBe(5)

  await s.server.put(s.calendar, 'b.ics', eventIcs({ uid: 'b', start: stamp(2, 9), end: stamp(2, 10) }))
  await makeDue()
  const [changed] = await syncDueIntegrations(s.t.services)
  expect(changed?.slotsChanged).toBe(true)
  const after = await state()
  expect(after.quietRuns).toBe(0)
  expect(delaySeconds(after)).toBe(2)
})

it('an availability query makes the members integrations hot: pulled in, then checked at the hot interval', async () => {
  // Idle far out: the next check is minutes away.
  await s.t.services.prisma.integration.update({
    where: { id: s.fx.integrationId },
    data: { nextSyncAt: new Date(Date.now() + 600_000), quietRuns: 9 },
  })
  await slotsOn(f, upcomingMonday())
  const hot = await vi.waitFor(async () => {
    const row = await state()
    expect(row.attentionUntil).not.toBeNull()
    return row
  })
  expect(hot.attentionUntil!.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000)
  expect(hot.nextSyncAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000)
  expect(hot.quietRuns).toBe(0)

  // The real scheduler picks it up and keeps checking it at the hot interval.
  const before = await s.t.services.prisma.syncRun.count({ where: { integrationId: s.fx.integrationId } })
  const worker = createSyncScheduler(s.t.services)
  worker.start()
  try {
    await vi.waitFor(
      async () => {
        const runs = await s.t.services.prisma.syncRun.count({ where: { integrationId: s.fx.integrationId } })
        expect(runs).toBeGreaterThanOrEqual(before + 2)
      },
      { timeout: 15_000, interval: 200 },
    )
  } finally {
    await worker.stop()
  }
  expect(delaySeconds(await state())).toBe(1)
})
