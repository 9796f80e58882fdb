// A Redis outage under two instances: both stay up, say so in /readyz, buffer what they publish, and subscribers
// hear changes again once Redis is back. Redis here is private to the test, stopped and restarted on its port.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTeam } from '../support/factories.ts'
import { useTwoInstances } from '../support/deployment.ts'
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.ts'
import { useStarted } from '../support/lifecycle.ts'
import type { TestApp } from '../support/testApp.ts'
import { BlockedSlotsChanged, CreateBlockedSlot } from './blockedSlotDocuments.ts'

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
const consoleErrors = vi.spyOn(console, 'error')
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
})

let redis: PrivateRedis
let a: TestApp
let b: TestApp
useStarted(startPrivateRedis, (started) => (redis = started))
useTwoInstances(
  'redis',
  (instances) => ({ a, b } = instances),
  () => ({ REDIS_URL: redis.url }),
)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function readiness(app: TestApp) {
  const response = await fetch(`${app.url}/readyz`)
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

describe('Redis outage', () => {
  it('keeps both instances up and resumes cross-instance subscriptions when Redis returns', async () => {
    const { user } = await createTeam(a.services)
    const userId = encodeGlobalID('User', user.id)
    const block = async (day: number) => {
      const start = new Date(Date.UTC(2031, 0, day, 10))
      const result = await a.client(user.token).data(CreateBlockedSlot, {
        input: { userId, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() },
      })
      expect(result.createBlockedSlot.__typename).toBe('CreateBlockedSlotSuccess')
      return start.toISOString()
    }
    const subscriptions = b.client(user.token).subscriptions()
    const before = subscriptions.subscribe(BlockedSlotsChanged, { userId })
    await sleep(500) // graphql-ws subscribes asynchronously: let the Redis SUBSCRIBE land first
    const first = await block(6)
    expect((await before.next()).data?.blockedSlotsChanged.from).toBe(first)

    await redis.stop()
    const duringOutage = await block(7)
    const during = subscriptions.subscribe(BlockedSlotsChanged, { userId })
    // Long enough for ioredis to give up on queued commands (its MaxRetriesPerRequestError) several times over.
    await sleep(3_000)
    expect(await readiness(a)).toEqual({
      status: 200,
      body: { status: 'degraded', database: 'up', redis: 'down' },
    })

    await redis.start()
    await until(async () => (await readiness(a)).body.status === 'ready', 15_000, 'instance A ready')
    await until(async () => (await readiness(b)).body.status === 'ready', 15_000, 'instance B ready')
    await sleep(500)
    // What A published during the outage was buffered and is delivered now; then a fresh change arrives too.
    expect((await before.next(10_000)).data?.blockedSlotsChanged.from).toBe(duringOutage)
    const after = await block(8)
    expect((await before.next(10_000)).data?.blockedSlotsChanged.from).toBe(after)
    expect(
      (await during.nextMatching((data) => data.blockedSlotsChanged.from === after, 10_000)).blockedSlotsChanged.from,
    ).toBe(after)
    before.close()
    during.close()
    await subscriptions.close()

    expect(unhandled).toEqual([])
    const ioredisNoise = consoleErrors.mock.calls.filter((call) => String(call[0]).includes('[ioredis]'))
    expect(ioredisNoise).toEqual([])
    // Logged once per outage as JSON, not once per failed command.
    const bufferedLogs = a.logs.filter((line) => line.msg === 'redis unavailable: buffering publishes')
    expect(bufferedLogs).toHaveLength(1)
  })
})
