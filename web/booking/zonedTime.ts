// Calendar dates and times in an IANA time zone with Intl only (no date library in the bundle).

export interface LocalDate {
  year: number
  month: number // 1-12
  day: number
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>()
function partsIn(timeZone: string) {
  let formatter = partsFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    partsFormatters.set(timeZone, formatter)
  }
  return formatter
}

function wallClock(instant: number, timeZone: string) {
  const values: Record<string, number> = {}
  for (const part of partsIn(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value)
  }
  return values as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>
}

export function localDateOf(instant: string | number, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(new Date(instant).getTime(), timeZone)
  return { year, month, day }
}

/** The instant local midnight of `date` begins in `timeZone` (two passes settle DST offsets). */
export function startOfDay(date: LocalDate, timeZone: string): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day)
  let instant = asUtc
  for (let pass = 0; pass < 2; pass++) {
    const w = wallClock(instant, timeZone)
    const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - instant
    instant = asUtc - offset
  }
  return instant
}

export const dateKey = (d: LocalDate) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`

export function addDays(d: LocalDate, days: number): LocalDate {
  const date = new Date(Date.UTC(d.year, d.month - 1, d.day + days))
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
}

export function addMonths(d: LocalDate, months: number): LocalDate {
  const date = new Date(Date.UTC(d.year, d.month - 1 + months, 1))
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: 1 }
}

export const daysInMonth = (d: LocalDate) => new Date(Date.UTC(d.year, d.month, 0)).getUTCDate()

/** ISO weekday, 1 = Monday. */
export const weekday = (d: LocalDate) => ((new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7) + 1

export const sameMonth = (a: LocalDate, b: LocalDate) => a.year === b.year && a.month === b.month

export const compareDates = (a: LocalDate, b: LocalDate) => dateKey(a).localeCompare(dateKey(b))

/** A calendar date as a label, e.g. "Tuesday, 3 December 2026" (the date itself, no zone conversion). */
export function dateLabel(d: LocalDate, options: Intl.DateTimeFormatOptions = { dateStyle: 'full' }): string {
  return new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(
    Date.UTC(d.year, d.month - 1, d.day, 12),
  )
}

export const timeLabel = (instant: string, timeZone: string) =>
  new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone }).format(new Date(instant))

export const dateTimeLabel = (instant: string, timeZone: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(instant))

export function detectedTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

export function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return all.includes(current) ? all : [current, ...all]
}
