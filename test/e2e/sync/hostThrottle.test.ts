// iCloud throttles per host: once a host answered 503 with Retry-After to one integration, every integration on that
// host waits, without a request, until then (ICLOUD.md); the next tick after the window syncs them.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { hostThrottleOf } from '../../../src/integrations/icloud/caldavSession.ts'
import { syncIntegration } from '../../../src/sync/index.ts'
import { createTeam } from '../../support/factories.ts'
import {
  createIntegrationFixture,
  eventIcs,
  stamp,
  startICloudSyncServer,
  type IntegrationFixture,
  type SyncServer,
} from '../../support/integrationFixtures.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'

let server: SyncServer
let t: TestApp
let first: IntegrationFixture
let second: IntegrationFixture

beforeAll(async () => {
  server = await startICloudSyncServer()
  t = await startTestApp({ ICLOUD_CALDAV_URL: server.serverUrl })
  const calendar = await server.makeCalendar('work', 'Work')
  await server.put(calendar, 'a.ics', eventIcs({ uid: 'a', start: stamp(1, 9), end: stamp(1, 10) }))
  first = await createIntegrationFixture(t.services, (await createTeam(t.services)).user, server, {
    conflicts: [calendar],
  })
  // A second account on the same host.
  const other = { ...server, username: 'other@icloud.com', password: 'qrst-uvwx-yzab-cdef' }
  const account = await server.icloud!.addAccount({
    appleId: other.username,
    appSpecificPassword: other.password,
    defaultCalendars: false,
  })
  const otherCalendar = await account.addCalendar('home', { displayName: 'Home' })
  second = await createIntegrationFixture(t.services, (await createTeam(t.services)).user, other, {
    conflicts: [otherCalendar],
  })
})
afterAll(async () => {
  await t?.close()
  await server?.stop()
})

it('a 503 with Retry-After to one integration pauses every integration on that host', async () => {
  server.icloud!.quirks.throttle = { count: 10, retryAfterSeconds: 90 }
  expect((await syncIntegration(t.services, first.integrationId, 'MANUAL'))?.outcome).toBe('RATE_LIMITED')

  server.icloud!.resetQuirks()
  server.icloud!.clearRequests()
  const paused = await syncIntegration(t.services, second.integrationId, 'MANUAL')
  expect(paused).toMatchObject({ outcome: 'RATE_LIMITED', requestCount: 0 })
  expect(server.icloud!.requests).toEqual([])
  const row = await t.services.prisma.integration.findUniqueOrThrow({ where: { id: second.integrationId } })
  expect(row.rateLimitedUntil!.getTime() - Date.now()).toBeGreaterThan(60_000)

  // Once the window has passed, the host is asked again.
  hostThrottleOf(t.services).clear()
  await t.services.prisma.integration.updateMany({ data: { rateLimitedUntil: null } })
  expect((await syncIntegration(t.services, second.integrationId, 'MANUAL'))?.outcome).toBe('SUCCESS')
})
