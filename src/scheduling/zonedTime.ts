import { DateTime } from 'luxon'
import {
  DAY_MS,
  MINUTE_MS,
  offsetAtInstant,
  segmentAtInstant,
  zoneOrThrow,
  type OffsetSegment,
} from '../time/zoneOffsets.ts'

// Every availability answer formats each slot's start and end: through luxon that is ~10 µs a call (a third of a
// 30-day answer's time); with the cached offset segments it is plain arithmetic. luxon stays for what the fast path
// does not cover (years outside 1000–9999, historical offsets with seconds); a test compares the two.
const FAST_FROM = Date.UTC(1000, 0, 1)
const FAST_TO = Date.UTC(10000, 0, 1)

/**
 * ISO 8601 / RFC 3339 timestamp in `timeZone` with its offset, e.g. `2026-03-29T09:00:00+02:00`.
 * Milliseconds appear only when non-zero; the zones `UTC`/`Etc/UTC` keep `+00:00` like any other zone.
 */
export function formatInZone(ms: number, timeZone: string): string {
  const offset = fastOffset(ms, timeZone)
  if (offset !== null) {
    const local = new Date(ms + offset).toISOString() // YYYY-MM-DDTHH:mm:ss.sssZ
    return `${ms % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23)}${offsetSuffix(offset)}`
  }
  return formatWithLuxon(ms, timeZone)
}

/**
 * formatInZone for the many instants of one answer (a 30-day answer formats ~400): keeps the offset segment, its
 * suffix and the local date between calls, so a call is a few string concatenations. Same output as formatInZone.
 */
export function zonedFormatter(timeZone: string): (ms: number) => string {
  let segment: OffsetSegment | null = null
  let suffix = ''
  let day = NaN
  let datePrefix = ''
  return (ms) => {
    if (!(ms % 1000 === 0 && ms >= FAST_FROM && ms < FAST_TO)) return formatInZone(ms, timeZone)
    if (segment === null || ms < segment.start || ms >= segment.end) {
      segment = segmentAtInstant(timeZone, ms)
      suffix = segment.offsetMs % MINUTE_MS === 0 ? offsetSuffix(segment.offsetMs) : ''
    }
    const local = ms + segment.offsetMs
    if (suffix === '' || !(local >= FAST_FROM && local < FAST_TO)) return formatInZone(ms, timeZone)
    const localDay = Math.floor(local / DAY_MS)
    if (localDay !== day) {
      day = localDay
      datePrefix = new Date(localDay * DAY_MS).toISOString().slice(0, 11) // YYYY-MM-DDT
    }
    const seconds = (local - localDay * DAY_MS) / 1000
    const time = `${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`
    return datePrefix + time + suffix
  }
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'))

/** The local calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDayKey(ms: number, timeZone: string): string {
  const offset = fastOffset(ms, timeZone)
  if (offset !== null) return new Date(ms + offset).toISOString().slice(0, 10)
  const day = DateTime.fromMillis(ms, { zone: zoneOrThrow(timeZone) }).toISODate()
  if (day === null) throw new RangeError(`Cannot compute the local date of ${ms} in ${timeZone}`)
  return day
}

/** +HH:MM or -HH:MM of a whole-minute offset. */
function offsetSuffix(offsetMs: number): string {
  const abs = Math.abs(offsetMs) / MINUTE_MS
  const hh = String(Math.floor(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  return `${offsetMs < 0 ? '-' : '+'}${hh}:${mm}`
}

function fastOffset(ms: number, timeZone: string): number | null {
  if (!(ms >= FAST_FROM && ms < FAST_TO)) return null
  const offset = offsetAtInstant(timeZone, ms) // throws RangeError on an unknown zone
  const local = ms + offset
  return offset % MINUTE_MS === 0 && local >= FAST_FROM && local < FAST_TO ? offset : null
}

/** luxon's ISO form, for the cases the fast path leaves out. */
export function formatWithLuxon(ms: number, timeZone: string): string {
  const iso = DateTime.fromMillis(ms, { zone: zoneOrThrow(timeZone) }).toISO({ suppressMilliseconds: true })
  if (iso === null) throw new RangeError(`Cannot format ${ms} in ${timeZone}`)
  // luxon writes 'Z' for the literal zone name "UTC" only; one shape is easier on clients.
  return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso
}
