// The sliding window of expanded occurrences. Edges fall on UTC midnight so the window moves once a day, and a
// re-expansion of stored objects (windowMaintenance.ts) happens at most daily per integration.
import type { Config } from '../config.ts'

const DAY_MS = 86_400_000

export interface SyncWindow {
  start: Date
  end: Date
}

export function computeWindow(config: Pick<Config, 'sync'>, now = new Date()): SyncWindow {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS
  return {
    start: new Date(today - config.sync.windowPastDays * DAY_MS),
    // +1: the last day of the window is covered whole.
    end: new Date(today + (config.sync.windowFutureDays + 1) * DAY_MS),
  }
}

export function sameWindow(a: { start: Date | null; end: Date | null }, b: SyncWindow): boolean {
  return a.start?.getTime() === b.start.getTime() && a.end?.getTime() === b.end.getTime()
}
