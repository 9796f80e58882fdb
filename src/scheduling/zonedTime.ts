import { DateTime } from 'luxon'
import { MINUTE_MS, offsetAtInstant, zoneOrThrow } from '../time/zoneOffsets.ts'

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
    const abs = Math.abs(offset) / MINUTE_MS
    const sign = offset < 0 ? '-' : '+'
    const hh = String(Math.floor(abs / 60)).padStart(2, '0')
    const mm = String(abs % 60).padStart(2, '0')
    return `${ms % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23)}${sign}${hh}:${mm}`
  }
  return formatWithLuxon(ms, timeZone)
}

/** The local calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDayKey(ms: number, timeZone: string): string {
  const offset = fastOffset(ms, timeZone)
  if (offset !== null) return new Date(ms + offset).toISOString().slice(0, 10)
  const day = DateTime.fromMillis(ms, { zone: zoneOrThrow(timeZone) }).toISODate()
  if (day === null) throw new RangeError(`Cannot compute the local date of ${ms} in ${timeZone}`)
  return day
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
