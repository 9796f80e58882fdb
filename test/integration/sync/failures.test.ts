// Failure handling and leases, against the iCloud-faithful test server: revoked password, throttling, dropped
// connections, slow answers, and several processes ticking at once.
import { beforeEach, describe, expect, it } from 'vitest'
import { hostThrottleOf } from '../../../src/integrations/icloud/caldavSession.ts'
import type { Services } from '../../../src/app/services.ts'
import { syncDueIntegrations, syncIntegration } from '../../../src/sync/index.ts'
import { createUser } from '../../support/factories.ts'
import { createIntegrationFixture, eventIcs, stamp } from '../../support/integrationFixtures.ts'
import { addICloudLogin, useSyncScenario, type SyncScenario } from '../../support/syncScenario.ts'

let s: SyncScenario
useSyncScenario(
  {
    // A short timeout so the slow-server case is quick.
    env: { CALDAV_TIMEOUT_MS: '1500' },
    calendars: { Home: { 'one.ics': eventIcs({ uid: 'one', start: stamp(1, 9), end: stamp(1, 10) }) } },
    initialSync: 'CONNECT',
  },
  (started) => (s = started),
)
// A throttling test pauses the shared test host for this app (caldavSession.ts): each test starts unpaused.
beforeEach(() => hostThrottleOf(s.t.services).clear())

const dueNow = () =>
  s.t.services.prisma.integration.updateMany({
    // As if the wait were over, Retry-After window included.
    data: { nextSyncAt: new Date(Date.now() - 1000), consecutiveFailures: 0, rateLimitedUntil: null },
  })

describe('transient failures', () => {
  it('honours a short Retry-After on 503 and completes the run', async () => {
    await s.server.put(s.calendar, 'two.ics', eventIcs({ uid: 'two', start: stamp(2, 9), end: stamp(2, 10) }))
    s.server.icloud!.quirks.throttle = { count: 1, retryAfterSeconds: 1 }
    const started = Date.now()
    const result = await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL')
    expect(result?.outcome).toBe('SUCCESS')
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(result?.counters.objectsFetched).toBe(1)
  })

  it('ends the run as RATE_LIMITED on a long Retry-After and comes back after it', async () => {
    s.server.icloud!.quirks.throttle = { count: 5, retryAfterSeconds: 120 }
    const result = await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL')
    expect(result?.outcome).toBe('RATE_LIMITED')
    const row = await s.integration()
    expect(row.status).toBe('CONNECTED')
    expect(row.consecutiveFailures).toBe(1)
    expect(row.nextSyncAt.getTime() - Date.now()).toBeGreaterThan(110_000)
    expect(row.rateLimitedUntil!.getTime() - Date.now()).toBeGreaterThan(110_000)
    expect(row.leaseOwner).toBeNull()
    await dueNow()
  })

  it('backs off exponentially on network errors, with jitter, and resets on success', async () => {
    s.server.icloud!.quirks.dropConnections = true
    const waits: number[] = []
    for (let i = 0; i < 3; i++) {
      await s.t.services.prisma.integration.update({
        where: { id: s.fx.integrationId },
        data: { nextSyncAt: new Date() },
      })
      const result = await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL')
      expect(result?.outcome).toBe('FAILED')
      const row = await s.integration()
      expect(row.consecutiveFailures).toBe(i + 1)
      waits.push(row.nextSyncAt.getTime() - Date.now())
    }
    const interval = s.t.services.config.sync.intervalSeconds * 1000
    // failure n waits in [interval·2^(n-1)/2, interval·2^(n-1)].
    waits.forEach((wait, n) => {
      expect(wait).toBeGreaterThan((interval * 2 ** n) / 2 - 2000)
      expect(wait).toBeLessThanOrEqual(interval * 2 ** n)
    })
    s.server.icloud!.resetQuirks()
    const ok = await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL')
    expect(ok?.outcome).toBe('SUCCESS')
    expect((await s.integration()).consecutiveFailures).toBe(0)
  })

  it('times out on a server that does not answer', async () => {
    s.server.icloud!.quirks.delayMs = 4000
    const started = Date.now()
    const result = await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL')
    expect(result?.outcome).toBe('FAILED')
    expect(Date.now() - started).toBeLessThan(4000)
    const run = await s.t.services.prisma.syncRun.findUniqueOrThrow({ where: { id: result!.syncRunId } })
    expect(JSON.stringify(run.errors)).toMatch(/timed out/)
    await dueNow()
  })
})

describe('leases', () => {
  it('never lets two processes sync the same integration, whatever the number of ticks', async () => {
    const subaccountId = (await s.integration()).subaccountId
    const ids: string[] = [s.fx.integrationId]
    for (let i = 0; i < 4; i++) {
      const appleId = `lease-${i}@icloud.com`
      const password = `aaaa-bbbb-cccc-000${i}`
      const { login, account } = await addICloudLogin(s.server, appleId, password)
      const url = await account.addCalendar('cal')
      await account.putEvent('cal', 'e.ics', eventIcs({ uid: `e${i}`, start: stamp(1, 9), end: stamp(1, 10) }))
      const user = await createUser(s.t.services, subaccountId)
      const f = await createIntegrationFixture(s.t.services, user, login, { conflicts: [url] })
      ids.push(f.integrationId)
    }
    await s.t.services.prisma.integration.updateMany({ data: { nextSyncAt: new Date(Date.now() - 1000) } })
    // Three "processes" (own lease owner), two slots each, ticking at the same moment, twice.
    const processes: Services[] = ['p1', 'p2', 'p3'].map((name) => ({
      ...s.t.services,
      instanceId: name,
      config: { ...s.t.services.config, sync: { ...s.t.services.config.sync, concurrency: 2 } },
    }))
    s.server.icloud!.quirks.delayMs = 50 // long enough for the ticks to overlap
    const results = (await Promise.all([...processes, ...processes].map((p) => syncDueIntegrations(p)))).flat()
    expect(results).toHaveLength(ids.length)
    expect(new Set(results.map((r) => r.syncRunId)).size).toBe(ids.length)
    const byIntegration = await s.t.services.prisma.syncRun.groupBy({
      by: ['integrationId'],
      where: { integrationId: { in: ids }, trigger: 'CRON' },
      _count: true,
    })
    expect(byIntegration.map((g) => g._count)).toEqual(ids.map(() => 1))
    expect(results.every((r) => r.outcome === 'SUCCESS')).toBe(true)
    // Nothing is due any more: the next tick claims nothing.
    expect(await syncDueIntegrations(processes[0]!)).toEqual([])
    const rows = await s.t.services.prisma.integration.findMany({ where: { id: { in: ids } } })
    expect(rows.every((r) => r.leaseOwner === null && r.nextSyncAt.getTime() > Date.now())).toBe(true)
  })

  it('does not start a second run while another process holds the lease, and takes over an expired one', async () => {
    await s.t.services.prisma.integration.update({
      where: { id: s.fx.integrationId },
      data: { leaseOwner: 'dead-process', leaseUntil: new Date(Date.now() + 60_000), nextSyncAt: new Date(0) },
    })
    expect(await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL')).toBeNull()
    expect((await syncDueIntegrations(s.t.services)).map((r) => r.syncRunId)).toHaveLength(0)
    // The holder died: its lease runs out and the work is picked up.
    await s.t.services.prisma.integration.update({
      where: { id: s.fx.integrationId },
      data: { leaseUntil: new Date(Date.now() - 1000) },
    })
    const result = await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL')
    expect(result?.outcome).toBe('SUCCESS')
  })
})

describe('revoked password', () => {
  it('sets NEEDS_REAUTH with a message, keeps the last known slots, and stops syncing', async () => {
    const slotsBefore = await s.t.services.prisma.blockedSlot.count({
      where: { calendarId: s.fx.calendarIds.get(s.calendar)! },
    })
    expect(slotsBefore).toBeGreaterThan(0)
    const events: string[] = []
    const sub = s.t.services.pubsub.subscribe('syncStatusChanged', s.fx.integrationId)
    const listening = (async () => {
      for await (const e of sub) {
        events.push(`${e.phase}:${e.status}:${e.outcome}`)
        if (e.phase === 'FINISHED') break
      }
    })()
    s.server.icloud!.quirks.delayMs = 0
    // The app-specific password is revoked in iCloud.
    s.server.revokePassword!()
    const result = await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL')
    await listening
    expect(result?.outcome).toBe('AUTH_FAILED')
    const row = await s.integration()
    expect(row.status).toBe('NEEDS_REAUTH')
    expect(row.lastError).toMatch(/app-specific password/)
    expect(events).toEqual(['STARTED:CONNECTED:null', 'FINISHED:NEEDS_REAUTH:AUTH_FAILED'])
    // Availability is not silently freed: the last known blocked slots stay.
    expect(
      await s.t.services.prisma.blockedSlot.count({ where: { calendarId: s.fx.calendarIds.get(s.calendar)! } }),
    ).toBe(slotsBefore)
    await s.t.services.prisma.integration.update({
      where: { id: s.fx.integrationId },
      data: { nextSyncAt: new Date(0) },
    })
    expect((await syncDueIntegrations(s.t.services)).length).toBe(0)
    expect(await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL')).toBeNull()
  })
})
