// iCloud throttles per host, whichever process asks (ICLOUD.md): a 429 with Retry-After answered to one instance
// pauses that host for every instance on the same Redis, one started during the pause included. Two app instances in
// this process, each with its own services and database, share nothing but a Redis private to the test.
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest'
import { hostThrottleOf } from '../../../src/integrations/icloud/caldavSession.ts'
import { syncIntegration } from '../../../src/sync/index.ts'
import type { IntegrationFixture, SyncServer } from '../../support/integrationFixtures.ts'
import { startPrivateRedis, type PrivateRedis } from '../../support/privateRedis.ts'
import { addICloudLogin, newTeamIntegration, useSyncScenario } from '../../support/syncScenario.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'

let redis: PrivateRedis
let server: SyncServer
/** A second account on the same partition host. */
let other: SyncServer
let otherCalendar: string
let a: TestApp
let b: TestApp
let onA: IntegrationFixture
let onB: IntegrationFixture
let host: string

const startInstance = () => startTestApp({ ICLOUD_CALDAV_URL: server.serverUrl, REDIS_URL: redis.url })
const requests = () => server.icloud!.requests

beforeAll(async () => {
  redis = await startPrivateRedis()
})
afterAll(async () => {
  await redis?.stop()
})
// Instance A and its integration; B and the second account below.
useSyncScenario({ env: () => ({ REDIS_URL: redis.url }) }, (s) => ({ server, t: a, fx: onA } = s))
beforeAll(async () => {
  b = await startInstance()
  const login = await addICloudLogin(server, 'other@icloud.com', 'qrst-uvwx-yzab-cdef')
  other = login.login
  otherCalendar = await login.account.addCalendar('home', { displayName: 'Home' })
  onB = await newTeamIntegration(b.services, other, otherCalendar)
  host = new URL(server.icloud!.partitionUrl).origin
  await vi.waitFor(() => expect([a, b].map((i) => i.services.pubsubState())).toEqual(['up', 'up']))
})
afterAll(async () => {
  await b?.close()
})
beforeEach(() => server.icloud!.clearRequests())

it('a 429 to instance A holds instance B back: B sends nothing to the host until the Retry-After has passed', async () => {
  server.icloud!.quirks.throttle = { count: 1, retryAfterSeconds: 2, status: 429 }
  const syncOnA = syncIntegration(a.services, onA.integrationId, 'MANUAL')
  await expect.poll(() => requests().find((r) => r.status === 429), { timeout: 10_000 }).toBeDefined()
  const throttled = requests().find((r) => r.status === 429)!
  expect(throttled.host).toBe('partition')
  await expect.poll(() => hostThrottleOf(b.services).hostPauseMs(host), { timeout: 2000 }).toBeGreaterThan(0)

  const onBResult = await syncIntegration(b.services, onB.integrationId, 'MANUAL')
  expect(onBResult).toMatchObject({ outcome: 'SUCCESS' })
  expect(onBResult!.requestCount).toBeGreaterThan(0)
  // Both instances waited out the pause: nothing reached the host between the 429 and its Retry-After.
  const pauseEnd = throttled.at + 2000
  expect(requests().filter((r) => r !== throttled && r.at < pauseEnd)).toEqual([])
  expect((await syncOnA)?.outcome).toBe('SUCCESS')
})

it('a long Retry-After defers B without a request, and reaches an instance started during the pause', async () => {
  server.icloud!.quirks.throttle = { count: 5, retryAfterSeconds: 120, status: 429 }
  expect((await syncIntegration(a.services, onA.integrationId, 'MANUAL'))?.outcome).toBe('RATE_LIMITED')
  server.icloud!.resetQuirks()
  await expect.poll(() => hostThrottleOf(b.services).hostPauseMs(host), { timeout: 2000 }).toBeGreaterThan(100_000)
  server.icloud!.clearRequests()
  const deferred = await syncIntegration(b.services, onB.integrationId, 'MANUAL')
  expect(deferred).toMatchObject({ outcome: 'RATE_LIMITED', requestCount: 0 })
  expect(requests()).toEqual([])

  const c = await startInstance()
  try {
    const onC = await newTeamIntegration(c.services, other, otherCalendar)
    await expect.poll(() => hostThrottleOf(c.services).hostPauseMs(host), { timeout: 5000 }).toBeGreaterThan(0)
    server.icloud!.clearRequests()
    const late = await syncIntegration(c.services, onC.integrationId, 'MANUAL')
    expect(late).toMatchObject({ outcome: 'RATE_LIMITED', requestCount: 0 })
    expect(requests()).toEqual([])
  } finally {
    await c.close()
  }
})
