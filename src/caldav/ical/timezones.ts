import ICAL from 'ical.js'
import { findIana } from 'windows-iana'
import { DAY_MS, isValidTimeZone, offsetAtInstant, offsetSegments, wallTimeToInstant } from '../../time/zoneOffsets.ts'

export type Zone = ICAL.Timezone

// Parsed zones are cached module-wide: building an ICAL.Timezone is cheap, but its first use expands the
// STANDARD/DAYLIGHT rules into a change table, which is the expensive part and is kept on the object.
const MAX_CACHED = 2000
const namedZones = new Map<string, Zone | null>()
const embeddedZones = new Map<string, Zone>()

const UTC_NAMES = new Set(
  ['utc', 'gmt', 'z', 'zulu', 'uct', 'universal', 'greenwich', 'gmt0', 'gmt+0', 'gmt-0'].flatMap((n) => [
    n,
    `etc/${n}`,
  ]),
)

export function isUtcZoneName(name: string): boolean {
  return UTC_NAMES.has(name.trim().toLowerCase())
}

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_CACHED) map.clear()
  map.set(key, value)
  return value
}

function zoneFromVtimezoneText(text: string, tzid: string): Zone {
  const component = new ICAL.Component(ICAL.parse(text) as unknown[])
  // The TZID the data uses must be the one the zone answers to (tzlib answers Etc/UTC for UTC, Europe/Kyiv for Kiev).
  component.updatePropertyWithValue('tzid', tzid)
  return new ICAL.Timezone({ component, tzid })
}

/**
 * A named zone answered by the runtime's tz database (ICU): the one availability, working hours and formatting use
 * (src/time/zoneOffsets.ts), so a floating 10:00 means the same instant everywhere. A bundled tz data set would apply
 * today's rules to past years and lag behind ICU's updates.
 */
export class IcuZone extends ICAL.Timezone {
  readonly ianaName: string

  constructor(ianaName: string, tzid: string) {
    super({ tzid })
    this.ianaName = ianaName
  }

  /** Offset (seconds) of a wall time in this zone, read per RFC 5545 §3.3.5 like every other conversion here. */
  override utcOffset(tt: ICAL.Time): number {
    const naive = Date.UTC(tt.year, tt.month - 1, tt.day, tt.hour, tt.minute, tt.second)
    const segments = offsetSegments(this.ianaName, naive - 2 * DAY_MS, naive + 2 * DAY_MS)
    return (naive - wallTimeToInstant(segments, naive)) / 1000
  }

  /** Offset (ms) in force at a UTC instant. */
  offsetAtUtc(utcMs: number): number {
    return offsetAtInstant(this.ianaName, utcMs)
  }
}

function nameCandidates(tzid: string): string[] {
  const out = [tzid]
  // Old Lightning/libical exports prefix the IANA name: /mozilla.org/20050126_1/Europe/Berlin,
  // /freeassociation.sourceforge.net/Tzfile/America/Argentina/Buenos_Aires.
  if (tzid.startsWith('/')) {
    const parts = tzid.split('/').filter(Boolean)
    out.push(parts.slice(-3).join('/'), parts.slice(-2).join('/'))
  }
  // Outlook/Exchange write Windows zone names ("W. Europe Standard Time"); CLDR's first match is the canonical zone.
  out.push(...findIana(tzid).slice(0, 1))
  return out
}

function fixedOffsetZone(tzid: string): Zone | null {
  // Outlook's display names ("(UTC+01:00) Amsterdam, Berlin, …") and "GMT+0100"-style ids: the offset is all we know.
  const m = /^\(?(?:UTC|GMT)\s*([+-])(\d{1,2}):?(\d{2})?\)?/i.exec(tzid)
  if (!m) return null
  const hours = m[2]!.padStart(2, '0')
  const offset = `${m[1]}${hours}${m[3] ?? '00'}`
  const text = [
    'BEGIN:VTIMEZONE',
    'TZID:x',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    `TZOFFSETFROM:${offset}`,
    `TZOFFSETTO:${offset}`,
    'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n')
  return zoneFromVtimezoneText(text, tzid)
}

function lookupName(tzid: string): Zone | null {
  const name = tzid.trim()
  if (isUtcZoneName(name)) return ICAL.Timezone.utcTimezone
  for (const candidate of nameCandidates(name)) {
    if (isValidTimeZone(candidate)) return new IcuZone(candidate, tzid)
  }
  return fixedOffsetZone(name)
}

/**
 * A zone for a TZID that has no VTIMEZONE in the resource: an IANA name (or alias), a prefixed IANA name,
 * a Windows zone name, or a "(UTC+hh:mm)" label. Null when nothing matches.
 */
export function zoneForName(tzid: string): Zone | null {
  const cached = namedZones.get(tzid)
  if (cached !== undefined || namedZones.has(tzid)) return cached ?? null
  return remember(namedZones, tzid, lookupName(tzid))
}

/** The user's zone (IANA): floating times and all-day dates are read in it. */
export function requireZone(name: string): Zone {
  const zone = zoneForName(name)
  if (!zone) throw new RangeError(`Unknown time zone "${name}"`)
  return zone
}

/** A zone from a VTIMEZONE component of a resource; null if it has no TZID or no STANDARD/DAYLIGHT rules. */
export function zoneFromVtimezone(vtimezone: ICAL.Component): Zone | null {
  const tzid = vtimezone.getFirstPropertyValue('tzid')
  if (typeof tzid !== 'string' || tzid === '') return null
  const rules = (vtimezone.jCal[2] as unknown[][]).filter((c) => c[0] === 'standard' || c[0] === 'daylight')
  // An empty VTIMEZONE (some exporters write just the TZID) would read as UTC: resolve the name instead.
  if (rules.length === 0) return null
  // Keyed on the rules, not just the TZID: two resources may define the same TZID differently.
  const key = `${tzid}\u0000${JSON.stringify(rules)}`
  const cached = embeddedZones.get(key)
  if (cached) return cached
  // A fresh parentless component, so the cache does not keep the whole resource alive.
  const component = new ICAL.Component(['vtimezone', [['tzid', {}, 'text', tzid]], structuredClone(rules)])
  return remember(embeddedZones, key, new ICAL.Timezone({ component, tzid }))
}

const YEARS_COVERED_AFTER = 10

/**
 * A VTIMEZONE for an IANA zone (RFC 5545 §3.6.5) spelling out the runtime's transitions from the start of `from`'s
 * year to 10 years later, so readers agree with us for this event and for reschedules within a decade. Observances
 * with the same offsets share one subcomponent with every onset as an RDATE, DTSTART's too: ical.js ignores DTSTART
 * as an onset when RDATEs are present.
 */
export function vtimezoneFromTransitions(ianaName: string, from: Date): ICAL.Component {
  const year = from.getUTCFullYear()
  const segments = offsetSegments(ianaName, Date.UTC(year, 0, 1), Date.UTC(year + YEARS_COVERED_AFTER, 0, 1))
  const standardOffset = Math.min(...segments.map((segment) => segment.offsetMs))
  const vtimezone = new ICAL.Component('vtimezone')
  vtimezone.addPropertyWithValue('tzid', ianaName)
  const observances = new Map<string, ICAL.Component>()
  for (const segment of segments) {
    const offsetFrom = offsetAtInstant(ianaName, segment.start - 1)
    const onset = wallTime(segment.start + offsetFrom)
    const kind = segment.offsetMs > standardOffset ? 'daylight' : 'standard'
    const key = `${kind} ${offsetFrom} ${segment.offsetMs}`
    const existing = observances.get(key)
    if (existing) {
      existing.addPropertyWithValue('rdate', onset)
      continue
    }
    const observance = new ICAL.Component(kind)
    observance.addPropertyWithValue('dtstart', onset)
    observance.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(offsetFrom / 1000))
    observance.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(segment.offsetMs / 1000))
    observance.addPropertyWithValue('rdate', onset)
    observances.set(key, observance)
    vtimezone.addSubcomponent(observance)
  }
  return vtimezone
}

function wallTime(naive: number): ICAL.Time {
  const d = new Date(naive)
  return new ICAL.Time(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    },
    ICAL.Timezone.localTimezone,
  )
}
