// The sync engine through the API: syncNow, the run history, live sync status, and a change made on the CalDAV
// server reaching blockedSlots and blockedSlotsChanged within one scheduler tick.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { beforeAll, expect, it } from 'vitest'
import { createSyncScheduler } from '../../../src/sync/index.ts'
import { graphql } from '../../graphql/index.ts'
import { createTeam, type TestUser } from '../../support/factories.ts'
import { eventIcs, stamp, startRadicaleServer } from '../../support/integrationFixtures.ts'
import { useSyncScenario, type SyncScenario } from '../../support/syncScenario.ts'
import { SyncNow } from './documents.ts'
import { BlockedSlotsChanged } from '../blockedSlotDocuments.ts'

const SyncRunsQuery = graphql(`
  query SyncE2ESyncRuns($id: ID!) {
    integration(id: $id) {
      status
      syncRuns(first: 10) {
        edges {
          node {
            id
            trigger
            outcome
            startedAt
          }
        }
      }
    }
  }
`)

const SyncStatusSubscription = graphql(`
  subscription SyncE2EStatus($integrationId: ID!) {
    syncStatusChanged(integrationId: $integrationId) {
      integrationId
      status
      phase
      outcome
      syncRun {
        id
        outcome
      }
    }
  }
`)

const BlockedSlotsQuery = graphql(`
  query SyncE2EBlockedSlots($userId: ID!, $from: DateTime!, $to: DateTime!) {
    blockedSlots(userId: $userId, from: $from, to: $to, includeFree: true) {
      title
      start
      end
      availability
      source
    }
  }
`)

let s: SyncScenario
let other: TestUser
useSyncScenario(
  {
    server: startRadicaleServer,
    env: { SYNC_INTERVAL_SECONDS: '1' },
    calendars: {
      Work: {
        'a.ics': eventIcs({ uid: 'a', start: stamp(1, 9), end: stamp(1, 10), summary: 'Dentist' }),
        'free.ics': eventIcs({
          uid: 'free',
          start: stamp(1, 12),
          end: stamp(1, 13),
          summary: 'Lunch?',
          extra: ['TRANSP:TRANSPARENT'],
        }),
      },
    },
  },
  (started) => (s = started),
)
beforeAll(async () => {
  other = (await createTeam(s.t.services)).user
})
const integrationGid = () => encodeGlobalID('Integration', s.fx.integrationId)

it('syncNow runs a sync and the integration lists it in syncRuns, newest first', async () => {
  const client = s.t.client(s.user.token)
  const status = client.subscriptions()
  const live = status.subscribe(SyncStatusSubscription, { integrationId: integrationGid() })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const data = await client.data(SyncNow, {
    input: { integrationId: integrationGid(), waitForCompletion: true },
  })
  expect(data.syncNow.__typename).toBe('SyncNowSuccess')
  const run = data.syncNow.__typename === 'SyncNowSuccess' ? data.syncNow.syncRun : null
  expect(run).toMatchObject({ trigger: 'MANUAL', outcome: 'SUCCESS', objectsFetched: 2, slotsWritten: 2 })
  const started = await live.nextMatching((d) => d.syncStatusChanged.phase === 'STARTED')
  expect(started.syncStatusChanged).toMatchObject({
    integrationId: integrationGid(),
    status: 'CONNECTED',
    outcome: null,
  })
  const finished = await live.nextMatching((d) => d.syncStatusChanged.phase === 'FINISHED')
  expect(finished.syncStatusChanged).toMatchObject({ outcome: 'SUCCESS', syncRun: { id: run!.id, outcome: 'SUCCESS' } })
  await status.close()

  await client.data(SyncNow, { input: { integrationId: integrationGid(), waitForCompletion: true } })
  const runs = await client.data(SyncRunsQuery, { id: integrationGid() })
  const edges = runs.integration!.syncRuns.edges
  expect(edges).toHaveLength(2)
  expect(edges[0]!.node.startedAt >= edges[1]!.node.startedAt).toBe(true)
  expect(edges[1]!.node.id).toBe(run!.id)

  // TRANSPARENT is stored and shown as FREE.
  const slots = await client.data(BlockedSlotsQuery, {
    userId: encodeGlobalID('User', s.user.id),
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date(Date.now() + 10 * 86_400_000).toISOString(),
  })
  expect(slots.blockedSlots.map((slot) => [slot.title, slot.availability, slot.source])).toEqual([
    ['Dentist', 'BUSY', 'ICLOUD'],
    ['Lunch?', 'FREE', 'ICLOUD'],
  ])
})

it('refuses syncNow and the status subscription for someone else integration', async () => {
  const result = await s.t.client(other.token).data(SyncNow, { input: { integrationId: integrationGid() } })
  expect(result.syncNow).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' })
})

it('a change made on the CalDAV server appears as a blocked slot and a blockedSlotsChanged event within one tick', async () => {
  const client = s.t.client(s.user.token)
  const subs = client.subscriptions()
  const changes = subs.subscribe(BlockedSlotsChanged, { userId: encodeGlobalID('User', s.user.id) })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const scheduler = createSyncScheduler(s.t.services)
  await s.t.services.prisma.integration.update({ where: { id: s.fx.integrationId }, data: { nextSyncAt: new Date() } })
  scheduler.start()
  try {
    await s.server.put(
      s.calendar,
      'new.ics',
      eventIcs({ uid: 'new', start: stamp(2, 15), end: stamp(2, 16), summary: 'Gym' }),
    )
    const changed = Date.now()
    // Interval 1 s: the next tick (or the one after an in-flight run) picks it up.
    const event = await changes.nextMatching(() => true, 5_000)
    expect(Date.now() - changed).toBeLessThan(3_500)
    expect(event.blockedSlotsChanged.from).not.toBeNull()
    const slots = await client.data(BlockedSlotsQuery, {
      userId: encodeGlobalID('User', s.user.id),
      from: new Date().toISOString(),
      to: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    })
    expect(slots.blockedSlots.map((slot) => slot.title)).toContain('Gym')
  } finally {
    await scheduler.stop()
    await subs.close()
  }
  // Stopping waits for in-flight work: no lease is left behind.
  const row = await s.integration()
  expect(row.leaseOwner).toBeNull()
})
