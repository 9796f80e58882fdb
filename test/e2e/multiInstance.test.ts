// Two instances on one PostgreSQL database with Redis pub/sub: a subscriber on one hears changes made on the other.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { describe, expect, it } from 'vitest'
import { createTeam } from '../support/factories.ts'
import { testRedisUrl, useTwoInstances } from '../support/deployment.ts'
import type { TestApp } from '../support/testApp.ts'
import { BlockedSlotsChanged, CreateBlockedSlot } from './blockedSlotDocuments.ts'

let a: TestApp
let b: TestApp
useTwoInstances(
  'multi',
  (instances) => ({ a, b } = instances),
  () => ({ REDIS_URL: testRedisUrl }),
)

describe('several instances with Redis pub/sub', () => {
  it('delivers a change made through instance B to a subscriber on instance A', async () => {
    const { user } = await createTeam(a.services)
    const userId = encodeGlobalID('User', user.id)
    const subscriptions = a.client(user.token).subscriptions()
    const live = subscriptions.subscribe(BlockedSlotsChanged, { userId })
    // graphql-ws subscribes asynchronously: give the Redis SUBSCRIBE a moment before publishing.
    await new Promise((resolve) => setTimeout(resolve, 500))

    const start = new Date(Date.UTC(2031, 0, 6, 10))
    const end = new Date(Date.UTC(2031, 0, 6, 11))
    const created = await b.client(user.token).data(CreateBlockedSlot, {
      input: { userId, start: start.toISOString(), end: end.toISOString(), title: 'Dentist' },
    })
    expect(created.createBlockedSlot.__typename).toBe('CreateBlockedSlotSuccess')

    const event = await live.next(10_000)
    expect(event.data?.blockedSlotsChanged).toEqual({ userId, from: start.toISOString(), to: end.toISOString() })
    live.close()
    await subscriptions.close()
  })
})
