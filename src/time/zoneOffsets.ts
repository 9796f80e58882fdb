import { IANAZone } from 'luxon'

// UTC-offset timelines for IANA zones, so local wall time <-> UTC conversion in hot loops is plain arithmetic.
//
// Asking Intl for an offset costs several microseconds; a 30-day slot computation needs thousands of conversions.
// Instead we sample each (zone, UTC year) once per day, binary-search each change to the second, and cache the
// resulting segments for the life of the process (tz rules do not change while it runs).
//
// Terminology: a "naive" time is a local wall-clock time encoded as if it were UTC (Date.UTC(y, m - 1, d, h, min)).
// instant = naive - offset, for whichever offset is in force at that instant.

export interface OffsetSegment {
  start: number // instant, inclusive
  end: number // instant, exclusive
  offsetMs: number // local = instant + offsetMs
}

export const DAY_MS = 86_400_000
export const MINUTE_MS = 60_000

// A stretch between two transitions shorter than this could be missed. The shortest in tzdb from 1970 to 2040 is
// 6.96 days (America/Boa_Vista in October 2000; Asia/Gaza's Ramadan rules give more), so 3 days keeps twice that
// margin at a third of the cost of daily samples.
const SAMPLE_MS = 3 * DAY_MS

const cache = new Map<string, Map<number, OffsetSegment[]>>()

/** Whether the runtime's tz database (ICU) knows this zone name (IANA names, plus aliases such as `UTC`). */
const knownZones = new Set<string>()

export function isValidTimeZone(name: unknown): boolean {
  if (typeof name !== 'string' || name.length === 0) return false
  if (knownZones.has(name)) return true // checking builds an Intl formatter (~0.3 ms): once per subscriber otherwise
  const valid = IANAZone.isValidZone(name)
  if (valid && knownZones.size < 1000) knownZones.add(name)
  return valid
}

export function zoneOrThrow(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone)
  if (!zone.isValid) throw new RangeError(`Unknown IANA time zone: ${JSON.stringify(timeZone)}`)
  return zone
}

/** Offset segments covering at least [from, to), ascending, adjacent segments with equal offsets merged. */
export function offsetSegments(timeZone: string, from: number, to: number): OffsetSegment[] {
  const firstYear = new Date(from).getUTCFullYear()
  const lastYear = new Date(Math.max(from, to - 1)).getUTCFullYear()
  const out: OffsetSegment[] = []
  for (let year = firstYear; year <= lastYear; year++) {
    for (const seg of yearSegments(timeZone, year)) {
      const last = out[out.length - 1]
      if (last !== undefined && last.offsetMs === seg.offsetMs && last.end === seg.start) last.end = seg.end
      else out.push({ ...seg })
    }
  }
  return out
}

/** Offset in force at `instant` in `timeZone`, from the cached segments of its UTC year. */
export function offsetAtInstant(timeZone: string, instant: number): number {
  return segmentAtInstant(timeZone, instant).offsetMs
}

/** The cached segment holding `instant` (it ends at the UTC year's end at the latest). */
export function segmentAtInstant(timeZone: string, instant: number): OffsetSegment {
  const segments = yearSegments(timeZone, new Date(instant).getUTCFullYear())
  return segments[segmentIndexAt(segments, instant)]!
}

/** Offset in force at `instant`. Throws if the segments do not cover it (a caller forgot to pad its range). */
export function offsetAt(segments: readonly OffsetSegment[], instant: number): number {
  return segments[segmentIndexAt(segments, instant)]!.offsetMs
}

export function segmentIndexAt(segments: readonly OffsetSegment[], instant: number): number {
  let lo = 0
  let hi = segments.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const seg = segments[mid]!
    if (instant < seg.start) hi = mid - 1
    else if (instant >= seg.end) lo = mid + 1
    else return mid
  }
  throw new RangeError(`Instant ${new Date(instant).toISOString()} is outside the computed offset segments`)
}

/**
 * Every instant whose local wall time is `naive`, ascending: one normally, two in a fall-back overlap, none in a
 * spring-forward gap.
 */
export function instantsAtWallTime(segments: readonly OffsetSegment[], naive: number): number[] {
  const out: number[] = []
  // Offsets are within ±1 day, so only segments near `naive` can match; scan from the first one that could.
  for (let i = firstSegmentEndingAfter(segments, naive - DAY_MS); i < segments.length; i++) {
    const seg = segments[i]!
    if (seg.start > naive + DAY_MS) break
    const instant = naive - seg.offsetMs
    if (instant >= seg.start && instant < seg.end) out.push(instant)
  }
  return out.sort((a, b) => a - b)
}

/**
 * The instant for a wall time, RFC 5545 §3.3.5 style (same as luxon and Temporal's 'compatible'): an ambiguous time
 * takes its first occurrence; a nonexistent one is read with the offset in force before the gap, which moves it
 * forward by the gap's length (02:30 on a 1-hour spring-forward day becomes 03:30).
 */
export function wallTimeToInstant(segments: readonly OffsetSegment[], naive: number): number {
  const found = instantsAtWallTime(segments, naive)
  if (found.length > 0) return found[0]!
  // In a gap: the segment that ends inside the gap is the one "before" it.
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i]!
    if (naive - seg.offsetMs >= seg.end) return naive - seg.offsetMs
  }
  throw new RangeError(`Wall time ${new Date(naive).toISOString()} is outside the computed offset segments`)
}

/**
 * The first instant at which the local clock reads `naive` or later: the instant itself when the wall time exists
 * (its first occurrence if repeated), else the end of the spring-forward gap it falls in (02:30 -> 03:00).
 * Used for span edges, so "from 02:30" on a spring-forward day starts when the clock jumps to 03:00 and a span lying
 * wholly inside the gap is empty.
 */
export function firstInstantAtOrAfterWallTime(segments: readonly OffsetSegment[], naive: number): number {
  const found = instantsAtWallTime(segments, naive)
  if (found.length > 0) return found[0]!
  for (let i = 1; i < segments.length; i++) {
    const prev = segments[i - 1]!
    const seg = segments[i]!
    if (naive - prev.offsetMs >= prev.end && naive - seg.offsetMs < seg.start) return seg.start
  }
  throw new RangeError(`Wall time ${new Date(naive).toISOString()} is outside the computed offset segments`)
}

/** The wall-clock fields of a naive time. */
export function naiveToFields(naive: number) {
  const d = new Date(naive)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  }
}

export function naiveToDayKey(naive: number): string {
  return new Date(naive).toISOString().slice(0, 10)
}

/** Naive midnight of a YYYY-MM-DD date; throws on anything that is not a real calendar date. */
export function dayKeyToNaive(dayKey: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dayKey)
  if (m === null) throw new RangeError(`Expected a YYYY-MM-DD date, got ${JSON.stringify(dayKey)}`)
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (naiveToDayKey(naive) !== dayKey) throw new RangeError(`Not a calendar date: ${dayKey}`)
  return naive
}

function firstSegmentEndingAfter(segments: readonly OffsetSegment[], t: number): number {
  let lo = 0
  let hi = segments.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (segments[mid]!.end <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}

function yearSegments(timeZone: string, year: number): OffsetSegment[] {
  let byYear = cache.get(timeZone)
  if (byYear === undefined) {
    byYear = new Map()
    cache.set(timeZone, byYear)
  }
  const cached = byYear.get(year)
  if (cached !== undefined) return cached

  const zone = zoneOrThrow(timeZone)
  // luxon reports minutes, fractional for historical LMT offsets; round to whole ms.
  const offsetMsAt = (t: number) => Math.round(zone.offset(t) * MINUTE_MS)
  const yearStart = Date.UTC(year, 0, 1)
  const yearEnd = Date.UTC(year + 1, 0, 1)
  const segments: OffsetSegment[] = []
  let segStart = yearStart
  let prevT = yearStart
  let prevOffset = offsetMsAt(yearStart)
  for (let t = yearStart + SAMPLE_MS; ; t += SAMPLE_MS) {
    const sampleT = Math.min(t, yearEnd - 1000)
    const offset = offsetMsAt(sampleT)
    if (offset !== prevOffset) {
      // tzdb transitions fall on whole seconds: search the first second with the new offset.
      let lo = prevT / 1000
      let hi = sampleT / 1000
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2)
        if (offsetMsAt(mid * 1000) === prevOffset) lo = mid
        else hi = mid
      }
      segments.push({ start: segStart, end: hi * 1000, offsetMs: prevOffset })
      segStart = hi * 1000
      prevOffset = offset
    }
    prevT = sampleT
    if (sampleT >= yearEnd - 1000) break
  }
  segments.push({ start: segStart, end: yearEnd, offsetMs: prevOffset })
  byYear.set(year, segments)
  return segments
}
