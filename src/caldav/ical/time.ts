import ICAL from 'ical.js'
import { IcuZone, zoneForName, type Zone } from './timezones.ts'

/** Calendar date and clock time fields, as ical.js and iCalendar spell them (month 1–12). */
interface WallFields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** A DATE or DATE-TIME value as written, before any zone is applied. */
export interface WallTime extends WallFields {
  isDate: boolean
  utc: boolean
}

// jCal values: '2025-03-10' (DATE), '2025-03-10T09:00:00[Z]' (DATE-TIME). ical.js turns a DATE written without
// VALUE=DATE into '2025-03-10T::', and leaves unparsable text as is, so the basic format is accepted too.
const TIME_RE = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2})(Z?))?/

export function parseWallTime(raw: unknown): WallTime | null {
  if (typeof raw !== 'string') return null
  const m = TIME_RE.exec(raw)
  if (!m) return null
  const isDate = m[4] === undefined
  const wall: WallTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: isDate ? 0 : Number(m[4]),
    minute: isDate ? 0 : Number(m[5]),
    second: isDate ? 0 : Number(m[6]),
    isDate,
    utc: m[7] === 'Z',
  }
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 24 || wall.minute > 59) {
    return null
  }
  return wall
}

export function tzidParam(prop: ICAL.Property): string | undefined {
  const tzid = prop.getParameter('tzid')
  const value = Array.isArray(tzid) ? tzid[0] : tzid
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Resolves the zones of one resource: its own VTIMEZONEs first, then known names, else the user's zone. */
export class ZoneResolver {
  readonly defaultZone: Zone
  private readonly embedded: Map<string, Zone>

  constructor(defaultZone: Zone, embedded: Map<string, Zone>) {
    this.defaultZone = defaultZone
    this.embedded = embedded
  }

  /** The zone a DATE-TIME is read in. DATE values and floating times use the user's zone. */
  zoneFor(wall: WallTime, tzid: string | undefined): Zone {
    if (wall.utc) return ICAL.Timezone.utcTimezone
    if (wall.isDate || tzid === undefined) return this.defaultZone
    // An unknown TZID is read like a floating time: the user's zone is the best guess we have.
    return this.embedded.get(tzid) ?? zoneForName(tzid) ?? this.defaultZone
  }
}

// ical.js's own local↔UTC conversion (Time.toUnixTime, convertToZone) is off by an hour around DST changes:
// it writes 01:30Z on the autumn change night as 03:30 CET and reads gap/fold times against RFC 5545. So offsets
// are looked up here in the zone's transition table (ical.js keeps it in UTC), per RFC 5545 §3.3.5.
const DAY_MS = 86_400_000

interface OffsetTable {
  coveredYear: number
  starts: number[]
  offsets: number[]
  before: number
}

const offsetTables = new WeakMap<Zone, OffsetTable>()

interface ZoneChange extends WallFields {
  utcOffset: number
  prevUtcOffset: number
}

function offsetTable(zone: Zone, year: number): OffsetTable | null {
  const cached = offsetTables.get(zone)
  if (cached && cached.coveredYear >= year) return cached
  zone._ensureCoverage(year)
  const changes = (zone.changes as ZoneChange[]).map((c) => ({ at: wallLocalMs(c), c })).sort((a, b) => a.at - b.at)
  if (changes.length === 0) return null
  const table: OffsetTable = {
    // ical.js expands to at least year + EXTRA_COVERAGE (5).
    coveredYear: year + 4,
    starts: changes.map((x) => x.at),
    offsets: changes.map((x) => x.c.utcOffset * 1000),
    before: changes[0]!.c.prevUtcOffset * 1000,
  }
  offsetTables.set(zone, table)
  return table
}

/** The zone's UTC offset (ms) in effect at a UTC instant. */
export function offsetAtUtc(zone: Zone, utcMs: number): number {
  if (zone === ICAL.Timezone.utcTimezone || zone === ICAL.Timezone.localTimezone) return 0
  if (zone instanceof IcuZone) return zone.offsetAtUtc(utcMs)
  const table = offsetTable(zone, new Date(utcMs).getUTCFullYear() + 1)
  if (!table) return 0
  let lo = 0
  let hi = table.starts.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (table.starts[mid]! <= utcMs) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found < 0 ? table.before : table.offsets[found]!
}

/** A local wall time (given as if it were UTC) to the UTC instant, per RFC 5545 §3.3.5. */
export function localToUtcMs(localMs: number, zone: Zone): number {
  if (zone === ICAL.Timezone.utcTimezone || zone === ICAL.Timezone.localTimezone) return localMs
  const before = offsetAtUtc(zone, localMs - DAY_MS)
  const after = offsetAtUtc(zone, localMs + DAY_MS)
  const first = localMs - before
  const second = localMs - after
  const firstValid = offsetAtUtc(zone, first) === before
  const secondValid = offsetAtUtc(zone, second) === after
  // Repeated hour: the first occurrence. Skipped hour: read with the offset before the gap.
  if (firstValid && secondValid) return Math.min(first, second)
  if (secondValid) return second
  return first
}

/** The UTC instant as local time in a zone. */
export function utcToZonedTime(utcMs: number, zone: Zone): ICAL.Time {
  const local = new Date(utcMs + offsetAtUtc(zone, utcMs))
  return new ICAL.Time(
    {
      year: local.getUTCFullYear(),
      month: local.getUTCMonth() + 1,
      day: local.getUTCDate(),
      hour: local.getUTCHours(),
      minute: local.getUTCMinutes(),
      second: local.getUTCSeconds(),
    },
    zone,
  )
}

export function timeToMs(time: ICAL.Time): number {
  return localToUtcMs(wallLocalMs(time), time.zone ?? ICAL.Timezone.localTimezone)
}

export function wallToMs(wall: WallTime, zone: Zone): number {
  return localToUtcMs(wallLocalMs(wall), zone)
}

/** Wall-clock fields as milliseconds "as if UTC": calendar arithmetic on it is exact, with no zone involved. */
export function wallLocalMs(t: WallFields): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)
}

/** A calendar-day number for a wall time given as local milliseconds. */
export function dayNumber(localMs: number): number {
  return Math.floor(localMs / DAY_MS)
}

/** Whole days between two calendar dates (b − a). */
export function dayDiff(a: WallTime, b: WallTime): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000)
}
