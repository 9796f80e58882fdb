// Background ticks fire at exactly the configured interval, whether node-cron or the timer loop runs them.
import cron from 'node-cron'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { everyInterval, exactCronPattern } from '../../../src/timing/everyInterval.ts'

const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]!)

/** Fires an everyInterval for `spanMs` of fake time and returns the fake clock at each tick. */
async function tickTimes(seconds: number, spanMs: number): Promise<number[]> {
  const times: number[] = []
  const ticks = everyInterval(seconds, () => times.push(Date.now()), `test-${seconds}`)
  await vi.advanceTimersByTimeAsync(spanMs)
  await ticks.stop()
  return times
}

afterEach(() => {
  vi.useRealTimers()
})

describe('exactCronPattern', () => {
  it('gives only patterns whose runs are exactly the interval apart (SYNC_INTERVAL_SECONDS 1..3600)', () => {
    let patterns = 0
    for (let seconds = 1; seconds <= 3600; seconds++) {
      const pattern = exactCronPattern(seconds)
      if (!pattern) continue
      patterns++
      const task = cron.createTask(pattern, () => {})
      const runs = task.getNextRuns(8).map((date) => date.getTime())
      void task.destroy()
      expect({ seconds, gaps: new Set(gaps(runs)) }).toEqual({ seconds, gaps: new Set([seconds * 1000]) })
    }
    // 1–6, 10, 12, 15, 20, 30 s and the minute divisors of an hour have a pattern.
    expect(patterns).toBe(23)
  })

  it('has no pattern for intervals that do not divide a minute or an hour', () => {
    expect([7, 45, 90, 420, 2700].map(exactCronPattern)).toEqual([null, null, null, null, null])
  })
})

describe('everyInterval', () => {
  it.each([45, 7, 90, 30, 10])('fires every %i s with equal gaps', async (seconds) => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1, 12, 0, 3, 250) })
    const times = await tickTimes(seconds, 20 * 60_000)
    expect(times.length).toBeGreaterThanOrEqual(Math.floor((20 * 60) / seconds) - 1)
    expect(new Set(gaps(times))).toEqual(new Set([seconds * 1000]))
    // Aligned to multiples of the interval, so every process ticks at the same instants.
    expect(times.every((time) => time % (seconds * 1000) === 0)).toBe(true)
  })

  it('skips the ticks a blocked event loop missed instead of firing them in a burst', async () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1, 12, 0, 0) })
    const times: number[] = []
    const ticks = everyInterval(45, () => times.push(Date.now()), 'late')
    vi.setSystemTime(Date.now() + 200_000) // the clock jumps while no timer could run
    await vi.advanceTimersByTimeAsync(45_000 * 3)
    await ticks.stop()
    // Due at +45 s, run at +245 s: one late tick for the five it missed, then +270 s and +315 s on the multiples.
    expect(times.length).toBe(3)
    expect(times[1]! - times[0]!).toBeLessThan(45_000)
    expect(new Set(gaps(times.slice(1)))).toEqual(new Set([45_000]))
    expect(times.slice(1).every((time) => time % 45_000 === 0)).toBe(true)
  })

  it('stops firing once stopped', async () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1, 12, 0, 0) })
    let count = 0
    const ticks = everyInterval(45, () => count++, 'stopped')
    await vi.advanceTimersByTimeAsync(100_000)
    await ticks.stop()
    const before = count
    await vi.advanceTimersByTimeAsync(500_000)
    expect(before).toBe(2)
    expect(count).toBe(before)
  })
})
