// Host pauses between two processes' throttles on one Redis (private to the test, stopped and restarted): shared at
// once while Redis is up; while it is down a pause still holds its own process back at once, never throws or waits,
// and reaches the other process when Redis is back, unless its deadline passed during the outage.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { HostThrottle } from '../../../src/caldav/hostThrottle.ts'
import { createLogger } from '../../../src/logger.ts'
import { createResilientRedis, type ResilientRedis } from '../../../src/realtime/resilientRedis.ts'
import { HOST_PAUSES_KEY, shareHostPauses } from '../../../src/realtime/sharedHostPauses.ts'
import { startPrivateRedis, type PrivateRedis } from '../../support/privateRedis.ts'

let redis: PrivateRedis
const processes: { redis: ResilientRedis; throttle: HostThrottle; stop: () => void }[] = []
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const bothUp = async () => {
  while (processes.some((p) => p.redis.state() !== 'up')) await sleep(20)
}

beforeAll(async () => {
  redis = await startPrivateRedis()
  for (let i = 0; i < 2; i++) {
    const connections = createResilientRedis(redis.url, createLogger('silent'))
    const throttle = new HostThrottle()
    processes.push({
      redis: connections,
      throttle,
      stop: shareHostPauses(connections, throttle, createLogger('silent')),
    })
  }
  await bothUp()
})

afterAll(async () => {
  for (const p of processes) {
    p.stop()
    p.redis.close()
  }
  await redis?.stop()
})

it('shares a pause with the other process while Redis is up', async () => {
  const [p, q] = processes
  p!.throttle.pauseHost('https://p01-caldav.icloud.com', 30_000)
  await expect.poll(() => q!.throttle.hostPauseMs('https://p01-caldav.icloud.com')).toBeGreaterThan(25_000)
})

it('keeps a pause local during an outage and shares it after, dropping one whose deadline passed', async () => {
  const [p, q] = processes
  await redis.stop()
  await expect.poll(() => p!.redis.state()).toBe('down')

  const started = performance.now()
  p!.throttle.pauseHost('https://p02-caldav.icloud.com', 60_000)
  p!.throttle.pauseHost('https://p03-caldav.icloud.com', 300)
  expect(performance.now() - started).toBeLessThan(50)
  expect(p!.throttle.hostPauseMs('https://p02-caldav.icloud.com')).toBeGreaterThan(55_000)

  await sleep(500) // p03's pause ends while Redis is still down
  await redis.start()
  await bothUp()
  // The buffered write is replayed a couple of seconds after Redis is back (resilientRedis.ts: REPLAY_DELAY_MS).
  await expect
    .poll(() => q!.throttle.hostPauseMs('https://p02-caldav.icloud.com'), { timeout: 10_000 })
    .toBeGreaterThan(50_000)
  const stored = new Redis(redis.url)
  try {
    const hosts = Object.keys(await stored.hgetall(HOST_PAUSES_KEY))
    expect(hosts).toContain('https://p02-caldav.icloud.com')
    expect(hosts).not.toContain('https://p03-caldav.icloud.com')
    expect(await stored.pttl(HOST_PAUSES_KEY)).toBeGreaterThan(50_000)
  } finally {
    stored.disconnect()
  }
})

it('gives a process that starts mid-pause the pauses in force', async () => {
  const connections = createResilientRedis(redis.url, createLogger('silent'))
  const throttle = new HostThrottle()
  const stop = shareHostPauses(connections, throttle, createLogger('silent'))
  try {
    await expect.poll(() => throttle.hostPauseMs('https://p02-caldav.icloud.com')).toBeGreaterThan(50_000)
    expect(throttle.hostPauseMs('https://p03-caldav.icloud.com')).toBe(0)
  } finally {
    stop()
    connections.close()
  }
})
