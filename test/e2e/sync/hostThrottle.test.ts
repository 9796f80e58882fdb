// iCloud throttles per host: once a host answered 503 with Retry-After to one integration, every integration on that
// host waits, without a request, until then (ICLOUD.md); the next tick after the window syncs them.
import { beforeAll, expect, it } from 'vitest'
import { hostThrottleOf } from '../../../src/integrations/icloud/caldavSession.ts'
import { syncIntegration } from '../../../src/sync/index.ts'
import type { IntegrationFixture } from '../../support/integrationFixtures.ts'
import { addICloudLogin, newTeamIntegration, useSyncScenario, type SyncScenario } from '../../support/syncScenario.ts'

let s: SyncScenario
let second: IntegrationFixture
useSyncScenario({}, (started) => (s = started))
beforeAll(async () => {
  // A second account on the same host.
  const other = await addICloudLogin(s.server, 'other@icloud.com', 'qrst-uvwx-yzab-cdef')
  const otherCalendar = await other.account.addCalendar('home', { displayName: 'Home' })
  second = await newTeamIntegration(s.t.services, other.login, otherCalendar)
})

it('a 503 with Retry-After to one integration pauses every integration on that host', async () => {
  s.server.icloud!.quirks.throttle = { count: 10, retryAfterSeconds: 90 }
  expect((await syncIntegration(s.t.services, s.fx.integrationId, 'MANUAL'))?.outcome).toBe('RATE_LIMITED')

  s.server.icloud!.resetQuirks()
  s.server.icloud!.clearRequests()
  const paused = await syncIntegration(s.t.services, second.integrationId, 'MANUAL')
  expect(paused).toMatchObject({ outcome: 'RATE_LIMITED', requestCount: 0 })
  expect(s.server.icloud!.requests).toEqual([])
  const row = await s.t.services.prisma.integration.findUniqueOrThrow({ where: { id: second.integrationId } })
  expect(row.rateLimitedUntil!.getTime() - Date.now()).toBeGreaterThan(60_000)

  // Once the window has passed, the host is asked again.
  hostThrottleOf(s.t.services).clear()
  await s.t.services.prisma.integration.updateMany({ data: { rateLimitedUntil: null } })
  expect((await syncIntegration(s.t.services, second.integrationId, 'MANUAL'))?.outcome).toBe('SUCCESS')
})
