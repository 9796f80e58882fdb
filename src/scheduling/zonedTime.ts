import { DateTime, IANAZone } from 'luxon'
import { zoneOrThrow } from './zoneOffsets.ts'

/**
 * ISO 8601 / RFC 3339 timestamp in `timeZone` with its offset, e.g. `2026-03-29T09:00:00+02:00`.
 * Milliseconds appear only when non-zero; the zones `UTC`/`Etc/UTC` keep `+00:00` like any other zone.
 */
export function formatInZone(ms: number, timeZone: string): string {
  const iso = DateTime.fromMillis(ms, { zone: zoneOrThrow(timeZone) }).toISO({ suppressMilliseconds: true })
  if (iso === null) throw new RangeError(`Cannot format ${ms} in ${timeZone}`)
  // luxon writes 'Z' for the literal zone name "UTC" only; one shape is easier on clients.
  return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso
}

/** The local calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDayKey(ms: number, timeZone: string): string {
  const day = DateTime.fromMillis(ms, { zone: zoneOrThrow(timeZone) }).toISODate()
  if (day === null) throw new RangeError(`Cannot compute the local date of ${ms} in ${timeZone}`)
  return day
}

/** Whether the runtime's tz database knows this zone name (IANA names, plus aliases such as `UTC`). */
export function isValidTimeZone(name: unknown): boolean {
  return typeof name === 'string' && name.length > 0 && IANAZone.isValidZone(name)
}
