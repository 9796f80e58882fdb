// When an integration is checked next: freshness follows attention. Integrations someone is looking at (a member of a
// calendar whose availability was queried or is subscribed to: Integration.attentionUntil) come back at the hot
// interval; the others back off, doubling from the base interval with each check that found nothing changed
// (Integration.quietRuns) up to the idle maximum.
import type { Config } from '../config.ts'

export interface ScheduleState {
  attentionUntil: Date | null
  /** Unchanged checks in a row, this one included. */
  quietRuns: number
}

export function nextCheckDelayMs(config: Pick<Config, 'sync'>, state: ScheduleState, now: number): number {
  const { intervalSeconds, hotIntervalSeconds, idleMaxSeconds } = config.sync
  if (state.attentionUntil && state.attentionUntil.getTime() > now) return hotIntervalSeconds * 1000
  const idle = intervalSeconds * 2 ** Math.min(Math.max(0, state.quietRuns - 1), 20)
  return Math.max(intervalSeconds, Math.min(idle, idleMaxSeconds)) * 1000
}

/** The tick of the worker: often enough for the hot interval. */
export const tickSeconds = (config: Pick<Config, 'sync'>): number =>
  Math.min(config.sync.intervalSeconds, config.sync.hotIntervalSeconds)
