import ICAL from 'ical.js'
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library'
import { findIana } from 'windows-iana'

export type Zone = ICAL.Timezone

// Parsed zones are cached module-wide: building an ICAL.Timezone is cheap, but its first use expands the
// STANDARD/DAYLIGHT rules into a change table, which is the expensive part and is kept on the object.
const MAX_CACHED = 2000
const namedZones = new Map<string, Zone | null>()
const embeddedZones = new Map<string, Zone>()
let knownIana: Set<string> | undefined

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

/** VTIMEZONE text (CRLF, no trailing newline) for an IANA zone from the bundled tz database, or null if unknown. */
export function ianaVtimezoneText(name: string): string | null {
  knownIana ??= new Set(tzlib_get_timezones() as string[])
  // tzlib logs to the console for unknown names: only ask it about names it lists.
  if (!knownIana.has(name)) return null
  const block = tzlib_get_ical_block(name)
  return Array.isArray(block) && block[0] ? block[0] : null
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
    const text = ianaVtimezoneText(candidate)
    if (text) return zoneFromVtimezoneText(text, tzid)
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
