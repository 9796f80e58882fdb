import ICAL from 'ical.js'
import { naiveToFields } from '../../time/zoneOffsets.ts'
import { parseCalendars } from './parse.ts'
import {
  dayNumber,
  localToUtcMs,
  offsetAtUtc,
  parseWallTime,
  tzidParam,
  wallLocalMs,
  wallToMs,
  type ZoneResolver,
} from './time.ts'
import type { Zone } from './timezones.ts'
import {
  durationUpperMs,
  endMsFor,
  eventUid,
  parseDuration,
  readEvent,
  zoneResolverFor,
  type EventInfo,
} from './vevent.ts'

export interface ExpandOptions {
  /** Half-open window [windowStart, windowEnd): occurrences whose busy time overlaps it are returned. */
  windowStart: Date
  windowEnd: Date
  /** IANA zone for floating times and all-day dates (the user's zone). */
  defaultTimeZone: string
  /** The calendar owner's addresses, to recognise their own declined PARTSTAT. */
  ownerEmails: string[]
}

export interface Occurrence {
  uid: string
  /** ISO UTC instant of the original occurrence start for recurring series, else null. */
  recurrenceId: string | null
  start: Date
  end: Date
  /** start minus X-APPLE-TRAVEL-DURATION (== start when none). */
  busyStart: Date
  allDay: boolean
  transparency: 'BUSY' | 'FREE'
  title: string | null
}

export interface ExpandResult {
  occurrences: Occurrence[]
  /** UIDs of all VEVENTs in the resource, in order of appearance (also those with no occurrence in the window). */
  uids: string[]
}

const DAY_MS = 86_400_000
// Per RRULE: bounds HOURLY/MINUTELY series far before the window and pathological rules.
const MAX_ITERATIONS = 100_000

interface Window {
  start: number
  end: number
}

function pushOccurrence(
  out: Occurrence[],
  window: Window,
  info: EventInfo,
  startMs: number,
  endMs: number,
  ridMs: number | null,
): void {
  const busyStart = startMs - info.travelMs
  const end = Math.max(endMs, startMs)
  const overlaps =
    end > busyStart ? busyStart < window.end && end > window.start : busyStart >= window.start && busyStart < window.end
  if (!overlaps) return
  out.push({
    uid: info.uid,
    recurrenceId: ridMs === null ? null : new Date(ridMs).toISOString(),
    start: new Date(startMs),
    end: new Date(end),
    busyStart: new Date(busyStart),
    allDay: info.allDay,
    transparency: info.transparency,
    title: info.title,
  })
}

// Rules are iterated in floating wall-clock time (RRULE semantics are wall-clock, RFC 5545 §3.3.10) and each result
// is converted to UTC here: cheaper than ical.js's zoned comparisons and correct around DST changes.
function floating(
  fields: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  isDate: boolean,
): ICAL.Time {
  return new ICAL.Time(
    isDate
      ? { year: fields.year, month: fields.month, day: fields.day, isDate: true }
      : {
          year: fields.year,
          month: fields.month,
          day: fields.day,
          hour: fields.hour ?? 0,
          minute: fields.minute ?? 0,
          second: fields.second ?? 0,
        },
    ICAL.Timezone.localTimezone,
  )
}

/** UNTIL as floating wall time in the series' zone, of DTSTART's value type; producers mix both up. */
function normaliseUntil(recur: ICAL.Recur, allDay: boolean, seriesZone: Zone): void {
  const until = recur.until
  if (!until) return
  const utc = until.zone === ICAL.Timezone.utcTimezone
  const untilMs = until.toUnixTime() * 1000
  const wall = utc
    ? naiveToFields(untilMs + offsetAtUtc(seriesZone, untilMs))
    : {
        year: until.year,
        month: until.month,
        day: until.day,
        hour: until.hour,
        minute: until.minute,
        second: until.second,
      }
  if (allDay) recur.until = floating(wall, true)
  // A DATE UNTIL on a timed series: the whole last day is included.
  else if (until.isDate) recur.until = floating({ ...wall, hour: 23, minute: 59, second: 59 }, false)
  else recur.until = floating(wall, false)
}

/**
 * Where to start iterating: the real DTSTART, or — for DAILY/WEEKLY/MONTHLY/YEARLY rules without COUNT — DTSTART
 * moved forward by whole multiples of the rule's period to shortly before the window. Moving by whole periods keeps
 * every BYxxx alignment (week parity for INTERVAL=2, WKST weeks, month days); the moved start itself may not match the
 * rule, but it lies before the window and is dropped by the overlap test.
 */
function iterationStart(recur: ICAL.Recur, dtstart: ICAL.Time, startMs: number, targetMs: number): ICAL.Time {
  if (recur.count || targetMs <= startMs) return dtstart
  const interval = Math.max(1, recur.interval || 1)
  const gap = targetMs - startMs
  const moved = dtstart.clone()
  switch (recur.freq) {
    case 'DAILY':
    case 'WEEKLY': {
      const periodDays = interval * (recur.freq === 'WEEKLY' ? 7 : 1)
      const k = Math.floor(gap / (periodDays * DAY_MS))
      if (k < 1) return dtstart
      moved.adjust(k * periodDays, 0, 0, 0)
      return moved
    }
    case 'MONTHLY': {
      // Day 29–31 starts would land on a month without that day.
      if (dtstart.day > 28) return dtstart
      const k = Math.floor(gap / (31 * DAY_MS) / interval)
      if (k < 1) return dtstart
      const total = dtstart.year * 12 + (dtstart.month - 1) + k * interval
      moved.year = Math.floor(total / 12)
      moved.month = (total % 12) + 1
      return moved
    }
    case 'YEARLY': {
      if (dtstart.month === 2 && dtstart.day === 29) return dtstart
      const k = Math.floor(gap / (366 * DAY_MS) / interval)
      if (k < 1) return dtstart
      moved.year = dtstart.year + k * interval
      return moved
    }
    default:
      return dtstart
  }
}

/**
 * RFC 5545 §3.3.10: a YEARLY rule without day parts recurs on DTSTART's month and day, and an instance on a date
 * that does not exist (29 February in a common year, 31 April) is skipped and not counted. ical.js moves such dates
 * into the next month (1 March), so the implied parts are written out and its results checked against them: a
 * result whose day is not one the rule names was moved. Returns that check, or null when the rule needs none.
 */
function spellOutYearlyDay(recur: ICAL.Recur, dtstart: ICAL.Time): ((t: ICAL.Time) => boolean) | null {
  if (recur.freq !== 'YEARLY') return null
  const parts = recur.parts
  if (parts.BYDAY || parts.BYYEARDAY || parts.BYWEEKNO) return null
  if (!parts.BYMONTHDAY) {
    if (dtstart.day <= 28) return null
    parts.BYMONTHDAY = [dtstart.day]
    parts.BYMONTH ??= [dtstart.month]
  }
  const days = parts.BYMONTHDAY
  if (days.some((day) => day <= 0) || days.every((day) => day <= 28)) return null
  return (t) => days.includes(t.day)
}

/** Instants (UTC ms) and local day numbers: the instances a series already gave or removed. */
interface InstantsAndDays {
  instants: Set<number>
  days: Set<number>
}

/** Emits one instance of a series: its local start (ms as if UTC), zone, UTC start and, for an RDATE period, end. */
type EmitInstance = (local: number, zone: Zone, ms: number, periodEndMs?: number) => void

function expandSeries(
  masterComp: ICAL.Component | undefined,
  overrideComps: ICAL.Component[],
  uid: string,
  zones: ZoneResolver,
  owner: Set<string>,
  window: Window,
  out: Occurrence[],
): void {
  const master = masterComp ? readEvent(masterComp, uid, zones, owner) : undefined
  const overrides = overrideComps.map((c) => readEvent(c, uid, zones, owner, master))

  // Each override stands on its own (also without a master: an invitation to a single instance of a series).
  for (const o of overrides) {
    if (!o.hidden) pushAtOwnTime(out, window, o, o.recurrenceId!.ms)
  }
  if (!master || !masterComp) return

  const overridden = overriddenInstances(overrides, master.allDay)
  const rrules = masterComp.getAllProperties('rrule')
  const rdates = masterComp.getAllProperties('rdate')
  if (rrules.length === 0 && rdates.length === 0) {
    if (!master.hidden && !overridden.instants.has(master.startMs)) pushAtOwnTime(out, window, master, null)
    return
  }

  // RANGE=THISANDFUTURE (RFC 5545 §3.8.4.4): the override's shift, length and properties apply to later instances.
  const future = overrides
    .filter((o) => o.recurrenceId!.thisAndFuture)
    .sort((a, b) => a.recurrenceId!.ms - b.recurrenceId!.ms)
  const bounds = iterationBounds(master, future, window)
  const excluded = excludedDates(masterComp, master.allDay, zones)
  const emit = instanceEmitter({ master, future, overridden, excluded, window, out })

  // DTSTART is always the first instance (RFC 5545 §3.8.5.3), whether or not it matches the rule.
  emit(master.startLocal, master.startZone, master.startMs)
  emitRdates(rdates, zones, bounds.stopMs, emit)
  const dtstartForRule = floating(naiveToFields(master.startLocal), master.allDay)
  for (const prop of rrules) {
    const value = prop.getFirstValue()
    if (value instanceof ICAL.Recur) emitRrule(value.clone(), dtstartForRule, master, bounds, emit)
  }
}

/** An event (a single one, or an override) at its own DTSTART, for its own duration. */
function pushAtOwnTime(out: Occurrence[], window: Window, info: EventInfo, ridMs: number | null): void {
  pushOccurrence(
    out,
    window,
    info,
    info.startMs,
    endMsFor(info.startLocal, info.startZone, info.startMs, info.duration),
    ridMs,
  )
}

function overriddenInstances(overrides: EventInfo[], allDaySeries: boolean): InstantsAndDays {
  const instants = new Set<number>()
  const days = new Set<number>()
  for (const o of overrides) {
    instants.add(o.recurrenceId!.ms)
    if (o.recurrenceId!.isDate || allDaySeries) days.add(o.recurrenceId!.day)
  }
  return { instants, days }
}

interface IterationBounds {
  /** Instances starting at or after this cannot reach into the window. */
  stopMs: number
  /** Where a rule without COUNT may jump to (iterationStart). */
  fastForwardTarget: number
}

function iterationBounds(master: EventInfo, future: EventInfo[], window: Window): IterationBounds {
  let maxEarlier = 0
  let maxLater = 0
  let maxTravel = master.travelMs
  let maxLength = durationUpperMs(master.duration)
  for (const o of future) {
    const shift = o.startMs - o.recurrenceId!.ms
    maxEarlier = Math.max(maxEarlier, -shift)
    maxLater = Math.max(maxLater, shift)
    maxTravel = Math.max(maxTravel, o.travelMs)
    maxLength = Math.max(maxLength, durationUpperMs(o.duration))
  }
  return {
    stopMs: window.end + maxTravel + maxEarlier,
    fastForwardTarget: window.start - maxLength - maxLater - 2 * DAY_MS,
  }
}

function excludedDates(masterComp: ICAL.Component, allDaySeries: boolean, zones: ZoneResolver): InstantsAndDays {
  const instants = new Set<number>()
  const days = new Set<number>()
  for (const prop of masterComp.getAllProperties('exdate')) {
    const tzid = tzidParam(prop)
    for (const raw of prop.jCal.slice(3)) {
      const wall = parseWallTime(raw)
      if (!wall) continue
      // A DATE EXDATE on a timed series removes that local day; on an all-day series dates are the identity.
      if (wall.isDate || allDaySeries) days.add(dayNumber(wallLocalMs(wall)))
      else instants.add(wallToMs(wall, zones.zoneFor(wall, tzid)))
    }
  }
  return { instants, days }
}

interface SeriesInstances {
  master: EventInfo
  /** THISANDFUTURE overrides by RECURRENCE-ID: the last one at or before an instance shapes it. */
  future: EventInfo[]
  overridden: InstantsAndDays
  excluded: InstantsAndDays
  window: Window
  out: Occurrence[]
}

/** Emits each instance once, unless excluded or overridden, shaped by the master or a THISANDFUTURE override. */
function instanceEmitter({ master, future, overridden, excluded, window, out }: SeriesInstances): EmitInstance {
  const seen = new Set<number>()
  return (local, zone, ms, periodEndMs) => {
    if (seen.has(ms)) return
    seen.add(ms)
    const day = dayNumber(local)
    if (excluded.instants.has(ms) || excluded.days.has(day)) return
    if (overridden.instants.has(ms) || overridden.days.has(day)) return
    let source = master
    for (const o of future) {
      if (o.recurrenceId!.ms <= ms) source = o
      else break
    }
    if (source.hidden) return
    if (source === master) {
      pushOccurrence(out, window, master, ms, periodEndMs ?? endMsFor(local, zone, ms, master.duration), ms)
      return
    }
    const startMs = ms + (source.startMs - source.recurrenceId!.ms)
    const localStart = startMs + offsetAtUtc(source.startZone, startMs)
    pushOccurrence(out, window, source, startMs, endMsFor(localStart, source.startZone, startMs, source.duration), ms)
  }
}

function emitRdates(rdates: ICAL.Property[], zones: ZoneResolver, stopMs: number, emit: EmitInstance): void {
  for (const prop of rdates) {
    const tzid = tzidParam(prop)
    for (const raw of prop.jCal.slice(3)) {
      const [first, second] = Array.isArray(raw) ? raw : [raw, undefined]
      const wall = parseWallTime(first)
      if (!wall) continue
      const zone = zones.zoneFor(wall, tzid)
      const local = wallLocalMs(wall)
      const ms = localToUtcMs(local, zone)
      if (ms >= stopMs) continue
      const periodEnd = second === undefined ? undefined : periodEndMs(second, { local, zone, ms }, zones, tzid)
      emit(local, zone, ms, periodEnd)
    }
  }
}

/** The end of an RDATE;VALUE=PERIOD (RFC 5545 §3.3.9): an explicit end, or a duration from the start. */
function periodEndMs(
  raw: unknown,
  start: { local: number; zone: Zone; ms: number },
  zones: ZoneResolver,
  tzid: string | undefined,
): number | undefined {
  const endWall = parseWallTime(raw)
  if (endWall) return wallToMs(endWall, zones.zoneFor(endWall, tzid))
  const d = parseDuration(raw)
  return d ? endMsFor(start.local, start.zone, start.ms, d) : undefined
}

function emitRrule(
  recur: ICAL.Recur,
  dtstart: ICAL.Time,
  master: EventInfo,
  bounds: IterationBounds,
  emit: EmitInstance,
): void {
  // All-day series live in the user's zone; timed ones in DTSTART's.
  const seriesZone = master.startZone
  normaliseUntil(recur, master.allDay, seriesZone)
  const isRealDate = spellOutYearlyDay(recur, dtstart)
  // Skipped dates must not use up COUNT, so it is counted here when results are checked.
  const from = iterationStart(recur, dtstart, master.startMs, bounds.fastForwardTarget)
  const count = isRealDate ? recur.count : null
  if (count) recur.count = null
  let iterator: ICAL.RecurIterator
  try {
    iterator = recur.iterator(from)
  } catch {
    return // a rule ical.js rejects (e.g. BYYEARDAY in a MONTHLY rule): DTSTART alone stands
  }
  let counted = 0
  for (let i = 0; i < MAX_ITERATIONS && (!count || counted < count); i++) {
    let next: ICAL.Time | null
    try {
      next = iterator.next()
    } catch {
      break
    }
    if (!next) break
    if (isRealDate && !isRealDate(next)) continue
    counted++
    // The iterator hands out its own mutable cursor: read it before the next call.
    const local = wallLocalMs(next)
    const ms = localToUtcMs(local, seriesZone)
    if (ms >= bounds.stopMs) break
    emit(local, seriesZone, ms)
  }
}

/**
 * Expands the VEVENTs of one calendar resource into concrete occurrences overlapping the window.
 * Throws ICalParseError when the text is not iCalendar, RangeError for an unknown defaultTimeZone or bad window.
 */
export function expandCalendarResource(ics: string, options: ExpandOptions): ExpandResult {
  const window = { start: options.windowStart.getTime(), end: options.windowEnd.getTime() }
  if (Number.isNaN(window.start) || Number.isNaN(window.end)) throw new RangeError('Invalid expansion window')
  const calendars = parseCalendars(ics)
  const zones = zoneResolverFor(calendars, options.defaultTimeZone)
  const owner = new Set(options.ownerEmails.map((e) => e.trim().toLowerCase()))

  const series = new Map<string, { masters: ICAL.Component[]; overrides: ICAL.Component[] }>()
  for (const calendar of calendars) {
    for (const vevent of calendar.getAllSubcomponents('vevent')) {
      const uid = eventUid(vevent)
      let entry = series.get(uid)
      if (!entry) series.set(uid, (entry = { masters: [], overrides: [] }))
      if (vevent.hasProperty('recurrence-id')) entry.overrides.push(vevent)
      else entry.masters.push(vevent)
    }
  }

  const occurrences: Occurrence[] = []
  for (const [uid, { masters, overrides }] of series) {
    if (masters.length === 0) expandSeries(undefined, overrides, uid, zones, owner, window, occurrences)
    // Duplicate masters are invalid; expanding each keeps their time blocked rather than guessing which one wins.
    masters.forEach((m, i) => expandSeries(m, i === 0 ? overrides : [], uid, zones, owner, window, occurrences))
  }
  occurrences.sort((a, b) => a.start.getTime() - b.start.getTime() || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0))
  return { occurrences, uids: [...series.keys()] }
}
