// Two instances on one PostgreSQL database with Redis pub/sub: a subscriber on one hears changes made on the other.
import { randomBytes } from 'node:crypto'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateEncryptionKey } from '../../src/security/secrets.ts'
import { graphql } from '../graphql/index.ts'
import { createTeam } from '../support/factories.ts'
import { dropSchema, startTestApp, testDatabaseUrl, type TestApp } from '../support/testApp.ts'

const databaseUrl = testDatabaseUrl ?? 'postgres://postgres@127.0.0.1:5432/test'
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

const BlockedSlotsChangedSubscription = graphql(`
  subscription MultiInstanceBlockedSlots($userId: ID!) {
    blockedSlotsChanged(userId: $userId) {
      userId
      from
      to
    }
  }
`)

const CreateBlockedSlotMutation = graphql(`
  mutation MultiInstanceCreateBlockedSlot($input: CreateBlockedSlotInput!) {
    createBlockedSlot(input: $input) {
      __typename
      ... on CreateBlockedSlotSuccess {
        blockedSlot {
          id
          start
          end
        }
      }
    }
  }
`)

const schema = `multi_${randomBytes(6).toString('hex')}`
let a: TestApp
let b: TestApp

beforeAll(async () => {
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEYS: generateEncryptionKey('multi'),
  }
  a = await startTestApp(env, { databaseSchema: schema })
  b = await startTestApp(env, { databaseSchema: schema })
})

afterAll(async () => {
  await a?.close()
  await b?.close()
  await dropSchema(databaseUrl, schema)
})

describe('several instances with Redis pub/sub', () => {
  it('delivers a change made through instance B to a subscriber on instance A', async () => {
    const { user } = await createTeam(a.services)
    const userId = encodeGlobalID('User', user.id)
    const subscriptions = a.client(user.token).subscriptions()
    const live = subscriptions.subscribe(BlockedSlotsChangedSubscription, { userId })
    // graphql-ws subscribes asynchronously: give the Redis SUBSCRIBE a moment before publishing.
    await new Promise((resolve) => setTimeout(resolve, 500))

    const start = new Date(Date.UTC(2031, 0, 6, 10))
    const end = new Date(Date.UTC(2031, 0, 6, 11))
    const created = await b.client(user.token).data(CreateBlockedSlotMutation, {
      input: { userId, start: start.toISOString(), end: end.toISOString(), title: 'Dentist' },
    })
    expect(created.createBlockedSlot.__typename).toBe('CreateBlockedSlotSuccess')

    const event = await live.next(10_000)
    expect(event.data?.blockedSlotsChanged).toEqual({ userId, from: start.toISOString(), to: end.toISOString() })
    live.close()
    await subscriptions.close()
  })
})
