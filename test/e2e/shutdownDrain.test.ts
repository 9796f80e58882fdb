// app.close() drains background work: a sync that finishes before the deadline ends normally; one that does not
// gives its lease back, so another instance takes the integration over at once instead of after SYNC_LEASE_SECONDS.
// The instances share a PostgreSQL schema so the database can be inspected after the first one has closed it.
import { describe, expect, it } from 'vitest'
import { claimIntegration } from '../../src/sync/lease.ts'
import { startIntegrationSync } from '../../src/sync/syncIntegration.ts'
import { createTeam } from '../support/factories.ts'
import {
  createIntegrationFixture,
  eventIcs,
  stamp,
  startICloudSyncServer,
  type SyncServer,
} from '../support/integrationFixtures.ts'
import { useDeployment } from '../support/deployment.ts'
import { useStarted } from '../support/lifecycle.ts'
import type { TestApp } from '../support/testApp.ts'

let server: SyncServer
let observer: TestApp
let integrationId: string
useStarted(startICloudSyncServer, (started) => (server = started))
const deployment = useDeployment('drain', () => ({ ICLOUD_CALDAV_URL: server.serverUrl }))
useStarted(
  () => deployment.start(),
  async (app) => {
    observer = app
    const team = await createTeam(observer.services)
    const calendar = await server.makeCalendar('home')
    await server.put(calendar, 'one.ics', eventIcs({ uid: 'one', start: stamp(1, 9), end: stamp(1, 10) }))
    const fixture = await createIntegrationFixture(observer.services, team.user, server, { conflicts: [calendar] })
    integrationId = fixture.integrationId
  },
)

describe('shutdown with a sync in flight', () => {
  it('lets a sync finish inside the deadline', async () => {
    const app = await deployment.start()
    server.icloud!.quirks.delayMs = 300
    const start = await startIntegrationSync(app.services, integrationId, 'MANUAL')
    expect(start.started).toBe(true)
    await app.app.close(Date.now() + 30_000)
    server.icloud!.resetQuirks()
    const run = await observer.services.prisma.syncRun.findFirstOrThrow({ where: { integrationId } })
    expect(run.outcome).toBe('SUCCESS')
    const row = await observer.services.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } })
    expect(row.leaseOwner).toBeNull()
  })

  it('releases the lease of a sync still running at the deadline', async () => {
    const app = await deployment.start()
    server.icloud!.quirks.delayMs = 5_000
    const start = await startIntegrationSync(app.services, integrationId, 'MANUAL')
    expect(start.started).toBe(true)
    const before = await observer.services.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } })
    expect(before.leaseOwner).toBe(app.services.instanceId)

    const began = Date.now()
    await app.app.close(Date.now() + 500)
    expect(Date.now() - began).toBeLessThan(10_000)
    server.icloud!.resetQuirks()
    if (start.started) await start.done.catch(() => null) // it fails on the closed database; nothing to keep
    const after = await observer.services.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } })
    expect(after.leaseOwner).toBeNull()
    expect(await claimIntegration(observer.services, integrationId)).toBe(true)
    expect(app.logs.some((line) => line.msg === 'shutdown deadline reached: released leases of unfinished work')).toBe(
      true,
    )
  })
})
