// Repeating ticks at an exact interval for the background workers. node-cron runs every interval a six-field pattern
// can state exactly (it divides a minute or an hour); the others (45 s, 7 min, …) have no such pattern — `*/45`
// fires at :00 and :45 — so they run on a timer that aims at multiples of the interval and never drifts.
import cron from 'node-cron'

export interface RepeatingTick {
  stop(): Promise<void>
}

/** The node-cron pattern that fires exactly every `seconds`, or null when no pattern can. */
export function exactCronPattern(seconds: number): string | null {
  if (!Number.isInteger(seconds) || seconds <= 0) return null
  if (seconds < 60) return 60 % seconds === 0 ? `*/${seconds} * * * * *` : null
  if (seconds % 60 !== 0) return null
  const minutes = seconds / 60
  if (minutes < 60) return 60 % minutes === 0 ? `0 */${minutes} * * * *` : null
  return minutes === 60 ? '0 0 * * * *' : null
}

/** Calls `tick` every `seconds`, at multiples of the interval since the epoch (so 30 s fires at :00 and :30). */
export function everyInterval(seconds: number, tick: () => void, name: string): RepeatingTick {
  const pattern = exactCronPattern(seconds)
  if (pattern) {
    const task = cron.schedule(pattern, tick, { name })
    return {
      stop: async () => {
        await task.stop()
        await task.destroy()
      },
    }
  }
  return startTimerLoop(seconds * 1000, tick)
}

function startTimerLoop(periodMs: number, tick: () => void): RepeatingTick {
  let target = (Math.floor(Date.now() / periodMs) + 1) * periodMs
  let timer: NodeJS.Timeout | null = null
  const arm = () => {
    timer = setTimeout(fire, Math.max(0, target - Date.now()))
  }
  const fire = () => {
    // A late timer (busy event loop, suspended machine) skips the ticks it missed instead of firing them in a burst.
    const now = Date.now()
    target += periodMs
    while (target <= now) target += periodMs
    arm()
    tick()
  }
  arm()
  return {
    stop: async () => {
      if (timer) clearTimeout(timer)
      timer = null
    },
  }
}
