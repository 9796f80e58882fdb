// Retry-After binds every path (ICLOUD.md): once iCloud has said "come back after …", a user's syncNow inside that
// window answers at once with RateLimitedError instead of asking iCloud again.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { expect, it } from 'vitest'
import { hostThrottleOf } from '../../../src/integrations/icloud/caldavSession.ts'
import { useSyncScenario, type SyncScenario } from '../../support/syncScenario.ts'
import { SyncNow } from './documents.ts'

let s: SyncScenario
useSyncScenario({}, (started) => (s = started))

it('syncNow inside a Retry-After window answers RateLimitedError with retryAt, without a request to iCloud', async () => {
  const syncNow = () =>
    s.t.client(s.user.token).data(SyncNow, {
      input: { integrationId: encodeGlobalID('Integration', s.fx.integrationId), waitForCompletion: true },
    })
  s.server.icloud!.quirks.throttle = { count: 10, retryAfterSeconds: 120 }
  const throttled = await syncNow()
  expect(throttled.syncNow).toMatchObject({ __typename: 'SyncNowSuccess', syncRun: { outcome: 'RATE_LIMITED' } })

  s.server.icloud!.resetQuirks()
  s.server.icloud!.clearRequests()
  const refused = await syncNow()
  expect(refused.syncNow).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' })
  const retryAt = refused.syncNow.__typename === 'RateLimitedError' ? Date.parse(String(refused.syncNow.retryAt)) : 0
  expect(retryAt - Date.now()).toBeGreaterThan(100_000)
  expect(retryAt - Date.now()).toBeLessThanOrEqual(120_000)
  expect(s.server.icloud!.requests).toEqual([])
  expect(await s.t.services.prisma.syncRun.count({ where: { integrationId: s.fx.integrationId } })).toBe(1)

  // After the window a user's sync goes through again (the host's pause in this process has passed too).
  hostThrottleOf(s.t.services).clear()
  await s.t.services.prisma.integration.update({
    where: { id: s.fx.integrationId },
    data: { rateLimitedUntil: new Date(Date.now() - 1000) },
  })
  expect((await syncNow()).syncNow).toMatchObject({ __typename: 'SyncNowSuccess', syncRun: { outcome: 'SUCCESS' } })
})
