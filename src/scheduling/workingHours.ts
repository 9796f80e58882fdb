import { clip, normalize, type Interval } from './intervals.ts'
import {
  DAY_MS,
  MINUTE_MS,
  dayKeyToNaive,
  naiveToDayKey,
  firstInstantAtOrAfterWallTime,
  offsetSegments,
} from '../time/zoneOffsets.ts'

export interface WorkingHoursRule {
  weekday: number // ISO 8601: Monday = 1 … Sunday = 7
  startMinute: number // minutes from local midnight, 0…1439
  endMinute: number // exclusive, startMinute < endMinute <= 1440 (1440 = next local midnight)
}

export interface MinuteSpan {
  startMinute: number
  endMinute: number
}

export interface DateOverride {
  date: string // YYYY-MM-DD, local to the member's zone
  intervals: MinuteSpan[] // replaces that date's weekly rules; empty = closed all day
}

export interface WorkingIntervalsInput {
  rules: readonly WorkingHoursRule[]
  overrides: readonly DateOverride[]
  timeZone: string
  range: Interval
}

/**
 * The member's working time inside `range` as normalized UTC intervals.
 *
 * Wall times are resolved per local date, so 09:00–17:00 stays 09:00–17:00 local across DST changes; a span that
 * crosses the transition has the gap's length less or the overlap's length more real time (00:00–24:00 is 23 h or
 * 25 h). Each edge is the first instant the local clock reads that time: an edge in a spring-forward gap moves to the
 * gap's end (02:30 -> 03:00), an edge in a repeated hour takes its first occurrence, so 01:30–02:00 on a fall-back
 * day lasts 1.5 h. Spans of adjacent days that touch (22:00–24:00 and 00:00–06:00) merge into one interval.
 */
export function workingIntervals({ rules, overrides, timeZone, range }: WorkingIntervalsInput): Interval[] {
  for (const rule of rules) {
    if (!(Number.isInteger(rule.weekday) && rule.weekday >= 1 && rule.weekday <= 7)) {
      throw new RangeError(`weekday must be an ISO weekday 1..7, got ${rule.weekday}`)
    }
    assertSpan(rule)
  }
  const overrideByDate = new Map<string, MinuteSpan[]>()
  for (const o of overrides) {
    dayKeyToNaive(o.date) // validates the format and the date
    o.intervals.forEach(assertSpan)
    // Duplicate dates are unioned rather than letting one silently win.
    overrideByDate.set(o.date, [...(overrideByDate.get(o.date) ?? []), ...o.intervals])
  }
  if (!(range.start < range.end)) return []

  const rulesByWeekday = new Map<number, WorkingHoursRule[]>()
  for (const rule of rules) rulesByWeekday.set(rule.weekday, [...(rulesByWeekday.get(rule.weekday) ?? []), rule])

  // Local dates touching the range are within one day of its UTC dates (offsets are within ±14 h); the offset table
  // gets a wider pad so every edge lookup is covered.
  const segments = offsetSegments(timeZone, range.start - 3 * DAY_MS, range.end + 3 * DAY_MS)
  const firstDay = Math.floor(range.start / DAY_MS) * DAY_MS - DAY_MS
  const lastDay = Math.floor((range.end - 1) / DAY_MS) * DAY_MS + DAY_MS

  const raw: Interval[] = []
  for (let dayNaive = firstDay; dayNaive <= lastDay; dayNaive += DAY_MS) {
    const override = overrideByDate.size === 0 ? undefined : overrideByDate.get(naiveToDayKey(dayNaive))
    const spans = override ?? rulesByWeekday.get(isoWeekday(dayNaive)) ?? []
    for (const span of spans) {
      const start = firstInstantAtOrAfterWallTime(segments, dayNaive + span.startMinute * MINUTE_MS)
      const end = firstInstantAtOrAfterWallTime(segments, dayNaive + span.endMinute * MINUTE_MS)
      // A span lying wholly inside a spring-forward gap collapses to nothing.
      if (start < end) raw.push({ start, end })
    }
  }
  return clip(normalize(raw), range)
}

function isoWeekday(naive: number): number {
  const d = new Date(naive).getUTCDay()
  return d === 0 ? 7 : d
}

function assertSpan(span: MinuteSpan): void {
  const { startMinute: s, endMinute: e } = span
  if (!(Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e <= 1440 && s < e)) {
    throw new RangeError(`Working span must satisfy 0 <= startMinute < endMinute <= 1440 (got ${s}–${e})`)
  }
}
