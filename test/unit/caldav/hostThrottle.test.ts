// The throttle's ports: what this process is told first-hand is announced (only when it extends the deadline), what
// another process was told is applied without an echo, and a deadline that has passed changes nothing.
import { expect, it } from 'vitest'
import { HostThrottle } from '../../../src/caldav/hostThrottle.ts'

const host = 'https://p42-caldav.icloud.com'
const now = 1_000_000

it('announces a first-hand pause when it extends the deadline, and never shortens one', () => {
  const throttle = new HostThrottle()
  const heard: [string, number][] = []
  throttle.onHostPaused((origin, until) => heard.push([origin, until]))
  throttle.pauseHost(host, 10_000, now)
  throttle.pauseHost(host, 5_000, now) // earlier: the host still waits 10 s, nothing to tell
  throttle.pauseHost(host, 20_000, now)
  expect(heard).toEqual([
    [host, now + 10_000],
    [host, now + 20_000],
  ])
  expect(throttle.hostPauseMs(host, now)).toBe(20_000)
})

it('applies a pause from another process without announcing it, unless its deadline has passed', () => {
  const throttle = new HostThrottle()
  const heard: unknown[] = []
  const stop = throttle.onHostPaused((...pause) => heard.push(pause))
  throttle.applyHostPause(host, now + 30_000, now)
  throttle.applyHostPause('https://p43-caldav.icloud.com', now - 1, now)
  expect(heard).toEqual([])
  expect(throttle.pausedHosts(now)).toEqual([{ origin: host, remainingMs: 30_000 }])
  expect(throttle.hostPauseMs(host, now + 30_000)).toBe(0)

  stop()
  throttle.pauseHost(host, 1_000, now + 40_000)
  expect(heard).toEqual([])
})
