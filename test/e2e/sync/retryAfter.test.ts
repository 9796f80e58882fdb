// Retry-After binds every path (ICLOUD.md): once iCloud has said "come back after …", a user's syncNow inside that
// window answers at once with RateLimitedError instead of asking iCloud again.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { hostThrottleOf } from '../../../src/integrations/icloud/caldavSession.ts'
import { graphql } from '../../graphql/index.ts'
import { createTeam, type TestUser } from '../../support/factories.ts'
import {
  createIntegrationFixture,
  eventIcs,
  stamp,
  startICloudSyncServer,
  type IntegrationFixture,
  type SyncServer,
} from '../../support/integrationFixtures.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'

const SyncNowRetryAfter = graphql(`
  mutation SyncNowRetryAfter($input: SyncNowInput!) {
    syncNow(input: $input) {
      __typename
      ... on SyncNowSuccess {
        syncRun {
          outcome
        }
      }
      ... on RateLimitedError {
        retryAt
      }
      ...ErrorFields
    }
  }
`)

let server: SyncServer
let t: TestApp
let user: TestUser
let fx: IntegrationFixture

beforeAll(async () => {
  server = await startICloudSyncServer()
  t = await startTestApp({ ICLOUD_CALDAV_URL: server.serverUrl })
  user = (await createTeam(t.services)).user
  const calendar = await server.makeCalendar('work', 'Work')
  await server.put(calendar, 'a.ics', eventIcs({ uid: 'a', start: stamp(1, 9), end: stamp(1, 10) }))
  fx = await createIntegrationFixture(t.services, user, server, { conflicts: [calendar] })
})
afterAll(async () => {
  await t?.close()
  await server?.stop()
})

it('syncNow inside a Retry-After window answers RateLimitedError with retryAt, without a request to iCloud', async () => {
  const syncNow = () =>
    t.client(user.token).data(SyncNowRetryAfter, {
      input: { integrationId: encodeGlobalID('Integration', fx.integrationId), waitForCompletion: true },
    })
  server.icloud!.quirks.throttle = { count: 10, retryAfterSeconds: 120 }
  const throttled = await syncNow()
  expect(throttled.syncNow).toMatchObject({ __typename: 'SyncNowSuccess', syncRun: { outcome: 'RATE_LIMITED' } })

  server.icloud!.resetQuirks()
  server.icloud!.clearRequests()
  const refused = await syncNow()
  expect(refused.syncNow).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' })
  const retryAt = refused.syncNow.__typename === 'RateLimitedError' ? Date.parse(String(refused.syncNow.retryAt)) : 0
  expect(retryAt - Date.now()).toBeGreaterThan(100_000)
  expect(retryAt - Date.now()).toBeLessThanOrEqual(120_000)
  expect(server.icloud!.requests).toEqual([])
  expect(await t.services.prisma.syncRun.count({ where: { integrationId: fx.integrationId } })).toBe(1)

  // After the window a user's sync goes through again (the host's pause in this process has passed too).
  hostThrottleOf(t.services).clear()
  await t.services.prisma.integration.update({
    where: { id: fx.integrationId },
    data: { rateLimitedUntil: new Date(Date.now() - 1000) },
  })
  expect((await syncNow()).syncNow).toMatchObject({ __typename: 'SyncNowSuccess', syncRun: { outcome: 'SUCCESS' } })
})
