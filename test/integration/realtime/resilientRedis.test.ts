// Publishes buffered during a Redis outage reach subscribers that reconnect after the publisher does. Redis delivers
// a message only to channels subscribed at that moment, so a replay the instant the publisher is back loses it for
// every instance whose subscriber is still reconnecting (what made the two-instance outage test flaky under load).
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createLogger } from '../../../src/logger.ts'
import { createResilientRedis, type ResilientRedis } from '../../../src/realtime/resilientRedis.ts'
import { startPrivateRedis, type PrivateRedis } from '../../support/privateRedis.ts'

let redis: PrivateRedis
let resilient: ResilientRedis
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(async () => {
  redis = await startPrivateRedis()
  resilient = createResilientRedis(redis.url, createLogger('silent'))
  while (resilient.state() !== 'up') await sleep(20)
})

afterAll(async () => {
  resilient?.close()
  await redis?.stop()
})

it('replays buffered publishes late enough for a subscriber that reconnects a second after Redis returns', async () => {
  await redis.stop()
  await resilient.publishClient.publish('topic', 'during outage')
  await redis.start()
  while (resilient.state() !== 'up') await sleep(20)

  // Another instance's subscriber, slower to reconnect than this publisher (the backoff of each client differs).
  await sleep(800)
  const late = new Redis(redis.url)
  const received: string[] = []
  late.on('message', (_channel: string, message: string) => received.push(message))
  await late.subscribe('topic')

  for (let i = 0; i < 50 && received.length === 0; i++) await sleep(100)
  late.disconnect()
  expect(received).toEqual(['during outage'])
})
