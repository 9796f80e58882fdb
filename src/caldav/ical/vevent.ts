import { createHash } from 'node:crypto'
import ICAL from 'ical.js'
import { ICalParseError } from './errors.ts'
import {
  dayDiff,
  dayNumber,
  localToUtcMs,
  parseWallTime,
  tzidParam,
  wallLocalMs,
  wallToMs,
  ZoneResolver,
  type WallTime,
} from './time.ts'
import { requireZone, zoneFromVtimezone, type Zone } from './timezones.ts'

const DAY_MS = 86_400_000

export interface Duration {
  exactMs: number
  /** Nominal days (RFC 5545 §3.3.6): added in local time, so a P1D across a DST change is 23 or 25 hours. */
  days: number
}

export interface EventInfo {
  uid: string
  allDay: boolean
  /** DTSTART as wall-clock ms in startZone (all-day: midnight; startZone is then the user's zone). */
  startLocal: number
  startMs: number
  startZone: Zone
  duration: Duration
  title: string | null
  transparency: 'BUSY' | 'FREE'
  travelMs: number
  /** STATUS:CANCELLED or declined by the owner: produces no occurrence (and hides the instance it overrides). */
  hidden: boolean
  recurrenceId: { ms: number; day: number; isDate: boolean; thisAndFuture: boolean } | null
}

/** A TEXT property's value; empty (Google writes `LOCATION:`) reads as absent. */
export function textValue(comp: ICAL.Component, name: string): string | null {
  const value = comp.getFirstPropertyValue(name)
  return typeof value === 'string' && value !== '' ? value : null
}

export function parseDuration(raw: unknown): Duration | null {
  if (typeof raw !== 'string') return null
  try {
    const d = ICAL.Duration.fromString(raw)
    if (d.isNegative) return { exactMs: 0, days: 0 }
    return { exactMs: ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000, days: d.weeks * 7 + d.days }
  } catch {
    return null
  }
}

export function durationUpperMs(d: Duration): number {
  return d.exactMs + d.days * (DAY_MS + 3_600_000)
}

function normaliseAddress(value: unknown): string | null {
  if (typeof value !== 'string') return null
  return value
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase()
}

function ownerDeclined(comp: ICAL.Component, owner: Set<string>): boolean {
  if (owner.size === 0) return false
  let declined = false
  let attending = false
  for (const prop of comp.getAllProperties('attendee')) {
    // iCloud may address attendees by urn:uuid: with the address in the EMAIL parameter.
    const email = prop.getParameter('email')
    const addresses = [normaliseAddress(prop.jCal[3]), normaliseAddress(Array.isArray(email) ? email[0] : email)]
    if (!addresses.some((a) => a !== null && owner.has(a))) continue
    const partstat = String(prop.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase()
    if (partstat === 'DECLINED') declined = true
    else if (partstat === 'ACCEPTED' || partstat === 'TENTATIVE') attending = true
  }
  return declined && !attending
}

function readWall(comp: ICAL.Component, name: string): { wall: WallTime; tzid: string | undefined } | null {
  const prop = comp.getFirstProperty(name)
  if (!prop) return null
  const wall = parseWallTime(prop.jCal[3])
  if (!wall) throw new ICalParseError(`Unreadable ${name.toUpperCase()} value ${JSON.stringify(prop.jCal[3])}`)
  return { wall, tzid: tzidParam(prop) }
}

export function readEvent(
  comp: ICAL.Component,
  uid: string,
  zones: ZoneResolver,
  owner: Set<string>,
  master?: EventInfo,
) {
  const dtstart = readWall(comp, 'dtstart')
  if (!dtstart) throw new ICalParseError(`VEVENT ${uid} has no DTSTART`)
  const allDay = dtstart.wall.isDate
  const startZone = zones.zoneFor(dtstart.wall, dtstart.tzid)
  const startLocal = wallLocalMs(dtstart.wall)
  const startMs = localToUtcMs(startLocal, startZone)

  let duration: Duration | null = null
  const dtend = readWall(comp, 'dtend')
  if (dtend) {
    if (allDay) {
      duration = { exactMs: 0, days: dtend.wall.isDate ? Math.max(1, dayDiff(dtstart.wall, dtend.wall)) : 1 }
    } else {
      const endMs = wallToMs(dtend.wall, zones.zoneFor(dtend.wall, dtend.tzid))
      duration = { exactMs: Math.max(0, endMs - startMs), days: 0 }
    }
  } else {
    duration = parseDuration(comp.getFirstProperty('duration')?.jCal[3])
    if (duration && allDay && duration.days === 0 && duration.exactMs === 0) duration = { exactMs: 0, days: 1 }
  }
  // An override without DTEND/DURATION keeps the series' length; otherwise RFC 5545 §3.6.1 defaults apply.
  duration ??= master?.duration ?? (allDay ? { exactMs: 0, days: 1 } : { exactMs: 0, days: 0 })

  let recurrenceId: EventInfo['recurrenceId'] = null
  const ridProp = comp.getFirstProperty('recurrence-id')
  if (ridProp) {
    const rid = readWall(comp, 'recurrence-id')!
    const range = ridProp.getParameter('range')
    recurrenceId = {
      ms: wallToMs(rid.wall, zones.zoneFor(rid.wall, rid.tzid)),
      day: dayNumber(wallLocalMs(rid.wall)),
      isDate: rid.wall.isDate,
      thisAndFuture: typeof range === 'string' && range.toUpperCase() === 'THISANDFUTURE',
    }
  }

  const travel = parseDuration(comp.getFirstProperty('x-apple-travel-duration')?.jCal[3])
  const status = textValue(comp, 'status')
  const info: EventInfo = {
    uid,
    allDay,
    startLocal,
    startMs,
    startZone,
    duration,
    title: textValue(comp, 'summary'),
    transparency: textValue(comp, 'transp')?.toUpperCase() === 'TRANSPARENT' ? 'FREE' : 'BUSY',
    travelMs: travel ? travel.exactMs + travel.days * DAY_MS : 0,
    hidden: status?.toUpperCase() === 'CANCELLED' || ownerDeclined(comp, owner),
    recurrenceId,
  }
  return info
}

/** End of an instance starting at localStart (wall ms in zone) = startMs; nominal days are added in local time. */
export function endMsFor(localStart: number, zone: Zone, startMs: number, d: Duration): number {
  if (d.days === 0) return startMs + d.exactMs
  return localToUtcMs(localStart + d.days * DAY_MS, zone) + d.exactMs
}

/** A resolver for one resource: registers all its VTIMEZONEs first (iCloud may put them after the VEVENTs). */
export function zoneResolverFor(calendars: ICAL.Component[], defaultTimeZone: string): ZoneResolver {
  const defaultZone = requireZone(defaultTimeZone)
  const embedded = new Map<string, Zone>()
  for (const calendar of calendars) {
    for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
      const zone = zoneFromVtimezone(vtimezone)
      if (zone) embedded.set(zone.tzid, zone)
    }
  }
  return new ZoneResolver(defaultZone, embedded)
}

export function eventUid(comp: ICAL.Component): string {
  const uid = comp.getFirstPropertyValue('uid')
  if (typeof uid === 'string' && uid.trim() !== '') return uid
  // UID is mandatory (RFC 5545 §3.6.1) but some feeds omit it: derive a stable one so the event still blocks time.
  return `missing-uid-${createHash('sha1').update(JSON.stringify(comp.jCal)).digest('hex').slice(0, 20)}`
}
