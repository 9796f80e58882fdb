import ICAL from 'ical.js'
import { isValidTimeZone } from '../../time/zoneOffsets.ts'
import { ICalParseError } from './errors.ts'
import { contentLine, joinContentLines, lineValue, refold, splitContentLines, type ContentLine } from './lines.ts'
import { parseCalendars } from './parse.ts'
import { timeToMs, tzidParam, utcToZonedTime } from './time.ts'
import { IcuZone, isUtcZoneName, vtimezoneFromTransitions, zoneForName } from './timezones.ts'
import { endMsFor, eventUid, readEvent, textValue, zoneResolverFor } from './vevent.ts'

const PRODID = '-//icloud-scheduling-api//EN'
const CRM_SOURCE = 'icloud-scheduling-api'

export interface AppointmentEventInput {
  uid: string
  start: Date
  end: Date
  /** IANA zone: DTSTART/DTEND are written in it with an embedded VTIMEZONE (UTC is written as UTC, no VTIMEZONE). */
  timeZone: string
  summary: string
  /** On update, undefined keeps the resource's current value and null removes it. */
  description?: string | null
  /** On update, undefined keeps the resource's current value and null removes it. */
  location?: string | null
  organizer: { name?: string | null; email: string }
  attendees: { name?: string | null; email: string }[]
  /** On update the written SEQUENCE never goes below the resource's current one. */
  sequence: number
  crmAppointmentId: string
  /** Defaults to CONFIRMED. */
  status?: 'CONFIRMED' | 'CANCELLED'
}

export interface AppointmentEventFields {
  uid: string
  start: Date
  end: Date
  summary: string | null
  description: string | null
  location: string | null
  sequence: number
  crmAppointmentId: string | null
  cancelled: boolean
}

interface WriteZone {
  tzid: string | null
  zone: ICAL.Timezone
  vtimezone: ICAL.Component | null
}

// X- properties default to TEXT (RFC 5545 §3.8.8.2); ical.js writes unknown properties verbatim, so escape here.
function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,')
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c))
}

function validate(input: AppointmentEventInput): void {
  const singleLine = (v: string, what: string) => {
    if (v.trim() === '' || /[\r\n]/.test(v)) throw new RangeError(`${what} must be a non-empty single line`)
  }
  singleLine(input.uid, 'uid')
  singleLine(input.crmAppointmentId, 'crmAppointmentId')
  singleLine(input.organizer.email, 'organizer.email')
  for (const a of input.attendees) singleLine(a.email, 'attendee email')
  if (Number.isNaN(input.start.getTime()) || Number.isNaN(input.end.getTime())) throw new RangeError('Invalid date')
  if (input.end.getTime() < input.start.getTime()) throw new RangeError('end is before start')
  if (!Number.isInteger(input.sequence) || input.sequence < 0) throw new RangeError('sequence must be an integer ≥ 0')
}

/** The zone an appointment is written in, with a VTIMEZONE generated from the same transitions we read with. */
function writeZone(timeZone: string, start: Date): WriteZone {
  if (isUtcZoneName(timeZone)) return { tzid: null, zone: ICAL.Timezone.utcTimezone, vtimezone: null }
  const zone = isValidTimeZone(timeZone) ? zoneForName(timeZone) : null
  if (!(zone instanceof IcuZone)) throw new RangeError(`Unknown IANA time zone "${timeZone}"`)
  return { tzid: timeZone, zone, vtimezone: vtimezoneFromTransitions(zone.ianaName, start) }
}

function dateTimeProperty(name: string, date: Date, wz: WriteZone): ICAL.Property {
  const prop = new ICAL.Property(name)
  const local = wz.tzid === null ? null : utcToZonedTime(date.getTime(), wz.zone)
  // The second pass through a repeated hour (autumn DST change) has no local-time spelling: readers take the first
  // (RFC 5545 §3.3.5), so such an instant is written in UTC, which DTSTART/DTEND may use independently.
  if (local === null || timeToMs(local) !== Math.floor(date.getTime() / 1000) * 1000) {
    prop.setValue(ICAL.Time.fromJSDate(date, true))
  } else {
    prop.setValue(local)
    prop.setParameter('tzid', wz.tzid!)
  }
  return prop
}

function mailto(email: string): string {
  return `mailto:${email.trim()}`
}

function addressOf(prop: ICAL.Property): string {
  return String(prop.getFirstValue() ?? '')
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase()
}

function setOrRemove(comp: ICAL.Component, name: string, value: string | null | undefined): void {
  if (value === null || value === undefined || value === '') comp.removeAllProperties(name)
  else comp.updatePropertyWithValue(name, value)
}

function applyCalendarUser(prop: ICAL.Property, person: { name?: string | null; email: string }): void {
  prop.setValue(mailto(person.email))
  if (person.name) prop.setParameter('cn', person.name)
  // RFC 6638 §7.1: the client handles scheduling, so iCloud sends no invitation e-mails of its own.
  prop.setParameter('schedule-agent', 'CLIENT')
}

function applyParticipants(event: ICAL.Component, input: AppointmentEventInput): void {
  const organizerEmail = input.organizer.email.trim().toLowerCase()
  let organizer = event.getFirstProperty('organizer')
  if (!organizer || addressOf(organizer) !== organizerEmail) {
    event.removeAllProperties('organizer')
    organizer = event.addProperty(new ICAL.Property('organizer'))
  }
  applyCalendarUser(organizer, input.organizer)

  // Attendees already on the event keep their parameters (PARTSTAT may carry a reply recorded in iCloud).
  const existing = new Map(event.getAllProperties('attendee').map((p) => [addressOf(p), p]))
  event.removeAllProperties('attendee')
  const written = new Set<string>()
  for (const person of input.attendees) {
    const email = person.email.trim().toLowerCase()
    if (written.has(email)) continue
    written.add(email)
    const prop = existing.get(email) ?? new ICAL.Property('attendee')
    applyCalendarUser(prop, person)
    if (!prop.getParameter('cutype')) prop.setParameter('cutype', 'INDIVIDUAL')
    if (!prop.getParameter('role')) prop.setParameter('role', 'REQ-PARTICIPANT')
    if (!prop.getParameter('partstat'))
      prop.setParameter('partstat', email === organizerEmail ? 'ACCEPTED' : 'NEEDS-ACTION')
    event.addProperty(prop)
  }
}

function applyInput(event: ICAL.Component, input: AppointmentEventInput, wz: WriteZone, creating: boolean): void {
  const now = ICAL.Time.fromJSDate(new Date(), true)
  event.updatePropertyWithValue('uid', input.uid)
  event.updatePropertyWithValue('dtstamp', now)
  if (creating || !event.hasProperty('created')) event.updatePropertyWithValue('created', now.clone())
  event.updatePropertyWithValue('last-modified', now.clone())
  const current = Number.parseInt(String(event.getFirstPropertyValue('sequence') ?? '0'), 10)
  event.updatePropertyWithValue('sequence', creating ? input.sequence : Math.max(input.sequence, current || 0))

  for (const name of ['dtstart', 'dtend', 'duration']) event.removeAllProperties(name)
  event.addProperty(dateTimeProperty('dtstart', input.start, wz))
  event.addProperty(dateTimeProperty('dtend', input.end, wz))

  event.updatePropertyWithValue('summary', input.summary)
  if (creating || input.description !== undefined) setOrRemove(event, 'description', input.description)
  if (creating || input.location !== undefined) {
    const before = textValue(event, 'location')
    setOrRemove(event, 'location', input.location)
    // The structured location (map pin, X-TITLE) describes the old place once the text changes.
    if ((input.location ?? null) !== before) event.removeAllProperties('x-apple-structured-location')
  }
  event.updatePropertyWithValue('status', input.status ?? 'CONFIRMED')
  if (creating) event.updatePropertyWithValue('transp', 'OPAQUE')
  applyParticipants(event, input)
  event.updatePropertyWithValue('x-crm-appointment-id', escapeText(input.crmAppointmentId))
  event.updatePropertyWithValue('x-crm-source', CRM_SOURCE)
}

/** A new VCALENDAR resource for an appointment the product owns. */
export function buildAppointmentEvent(input: AppointmentEventInput): string {
  validate(input)
  const wz = writeZone(input.timeZone, input.start)
  const calendar = new ICAL.Component('vcalendar')
  calendar.updatePropertyWithValue('version', '2.0')
  calendar.updatePropertyWithValue('prodid', PRODID)
  calendar.updatePropertyWithValue('calscale', 'GREGORIAN')
  if (wz.vtimezone) calendar.addSubcomponent(wz.vtimezone)
  const event = new ICAL.Component('vevent')
  applyInput(event, input, wz, true)
  calendar.addSubcomponent(event)
  return refold(calendar.toString())
}

interface Block {
  begin: number
  end: number
}

/** Line ranges of each VCALENDAR and of its direct children (VTIMEZONE, VEVENT, …). */
function calendarBlocks(lines: ContentLine[]): { children: (Block & { name: string })[] }[] {
  const out: { children: (Block & { name: string })[] }[] = []
  const stack: { name: string; begin: number }[] = []
  let children: (Block & { name: string })[] = []
  lines.forEach((line, i) => {
    if (line.name === 'BEGIN') {
      if (stack.length === 0) children = []
      stack.push({ name: lineValue(line).trim().toUpperCase(), begin: i })
    } else if (line.name === 'END') {
      const open = stack.pop()
      if (!open) throw new ICalParseError('END without BEGIN')
      if (stack.length === 1) children.push({ name: open.name, begin: open.begin, end: i })
      else if (stack.length === 0 && open.name === 'VCALENDAR') out.push({ children })
    }
  })
  return out
}

/**
 * Rewrites an existing resource with new appointment values. Only the master VEVENT's properties the product owns
 * change, and only where their value changes; every other line (X-APPLE-*, VALARMs, overrides, unknown parameters)
 * is kept byte for byte. ical.js is not used to re-serialise the resource because it rewrites parameter text
 * (e.g. Apple's `X-ADDRESS=…\\n…`).
 */
export function updateAppointmentEvent(existingIcs: string, input: AppointmentEventInput): string {
  validate(input)
  const wz = writeZone(input.timeZone, input.start)
  const calendars = parseCalendars(existingIcs)
  const target = findMasterEvent(calendars, input.uid)
  const original = target.component
  const updated = new ICAL.Component(structuredClone(original.jCal))
  applyInput(updated, input, wz, false)

  const lines = splitContentLines(existingIcs)
  const calendarBlock = calendarBlocks(lines)[target.calendar]
  const eventBlock = calendarBlock?.children.filter((c) => c.name === 'VEVENT')[target.vevent]
  if (!calendarBlock || !eventBlock) throw new ICalParseError('Could not locate the VEVENT in the resource text')
  const own = ownPropertyLines(lines, eventBlock)
  const patch = propertyPatch(original, updated, lines, own.byName)
  const zone = zoneToInsert(calendars[target.calendar]!, wz, calendarBlock.children, eventBlock)
  const out = applyPatch(lines, patch, own.firstSubcomponent, zone)

  const result = dropUnusedZone(out, original, updated)
  // A text-level patch must still be iCalendar before it goes to iCloud.
  parseCalendars(result)
  return result
}

/** The first VEVENT with this UID that is not an override: which calendar, which of its VEVENTs. */
function findMasterEvent(
  calendars: ICAL.Component[],
  uid: string,
): { calendar: number; vevent: number; component: ICAL.Component } {
  for (const [ci, calendar] of calendars.entries()) {
    for (const [vi, vevent] of calendar.getAllSubcomponents('vevent').entries()) {
      if (!vevent.hasProperty('recurrence-id') && eventUid(vevent) === uid) {
        return { calendar: ci, vevent: vi, component: vevent }
      }
    }
  }
  throw new ICalParseError(`The resource has no VEVENT with UID ${uid}`)
}

/** Direct property lines of the master VEVENT by name (VALARM and other subcomponents excluded). */
function ownPropertyLines(
  lines: ContentLine[],
  eventBlock: Block,
): { byName: Map<string, number[]>; firstSubcomponent: number } {
  const byName = new Map<string, number[]>()
  let firstSubcomponent = eventBlock.end
  let depth = 0
  for (let i = eventBlock.begin + 1; i < eventBlock.end; i++) {
    const line = lines[i]!
    if (line.name === 'BEGIN') {
      if (depth === 0 && firstSubcomponent === eventBlock.end) firstSubcomponent = i
      depth++
    } else if (line.name === 'END') depth--
    else if (depth === 0) byName.set(line.name, [...(byName.get(line.name) ?? []), i])
  }
  return { byName, firstSubcomponent }
}

interface PropertyPatch {
  /** First line of a changed property -> the property's new lines. */
  replacement: Map<number, ContentLine[]>
  /** Every line of a changed property. */
  dropped: Set<number>
  /** Lines of properties the event did not have. */
  appended: ContentLine[]
}

function propertyPatch(
  original: ICAL.Component,
  updated: ICAL.Component,
  lines: ContentLine[],
  ownLines: Map<string, number[]>,
): PropertyPatch {
  const patch: PropertyPatch = { replacement: new Map(), dropped: new Set(), appended: [] }
  const names = new Set([...original.getAllProperties(), ...updated.getAllProperties()].map((p) => p.name))
  for (const name of names) {
    const beforeJson = original.getAllProperties(name).map((p) => JSON.stringify(p.jCal))
    const after = updated.getAllProperties(name)
    const afterJson = after.map((p) => JSON.stringify(p.jCal))
    if (beforeJson.join('\n') === afterJson.join('\n')) continue
    const indices = ownLines.get(name.toUpperCase()) ?? []
    if (indices.length !== beforeJson.length) throw new ICalParseError(`Could not match ${name.toUpperCase()} lines`)
    const newLines = rewrittenLines(
      after,
      afterJson,
      beforeJson,
      indices.map((i) => lines[i]!),
    )
    indices.forEach((i) => patch.dropped.add(i))
    if (indices.length > 0) patch.replacement.set(indices[0]!, newLines)
    else patch.appended.push(...newLines)
  }
  return patch
}

/** A changed property's new lines: values it had before keep their original text. */
function rewrittenLines(
  after: ICAL.Property[],
  afterJson: string[],
  beforeJson: string[],
  beforeLines: ContentLine[],
): ContentLine[] {
  const used = new Set<number>()
  return after.map((prop, j) => {
    const k = beforeJson.findIndex((json, idx) => json === afterJson[j] && !used.has(idx))
    if (k < 0) return contentLine(prop.toICALString())
    used.add(k)
    return beforeLines[k]!
  })
}

/** The VTIMEZONE the new DTSTART/DTEND need when the calendar lacks it, before its first non-zone component. */
function zoneToInsert(
  calendar: ICAL.Component,
  wz: WriteZone,
  calendarChildren: (Block & { name: string })[],
  eventBlock: Block,
): { at: number; lines: ContentLine[] } | null {
  if (wz.tzid === null) return null
  if (calendar.getAllSubcomponents('vtimezone').some((z) => z.getFirstPropertyValue('tzid') === wz.tzid)) return null
  const at = calendarChildren.find((c) => c.name !== 'VTIMEZONE')?.begin ?? eventBlock.begin
  return { at, lines: splitContentLines(refold(wz.vtimezone!.toString())) }
}

function applyPatch(
  lines: ContentLine[],
  patch: PropertyPatch,
  appendAt: number,
  zone: { at: number; lines: ContentLine[] } | null,
): ContentLine[] {
  const out: ContentLine[] = []
  lines.forEach((line, i) => {
    if (zone && i === zone.at) out.push(...zone.lines)
    if (i === appendAt) out.push(...patch.appended)
    const replaced = patch.replacement.get(i)
    if (replaced) out.push(...replaced)
    else if (!patch.dropped.has(i)) out.push(line)
  })
  return out
}

/** Removes the VTIMEZONE the old DTSTART/DTEND used if nothing references it any more. */
function dropUnusedZone(lines: ContentLine[], original: ICAL.Component, updated: ICAL.Component): string {
  const oldZones = new Set(
    ['dtstart', 'dtend'].flatMap((n) => original.getAllProperties(n).map(tzidParam)).filter((z) => z !== undefined),
  )
  const newZones = new Set(['dtstart', 'dtend'].flatMap((n) => updated.getAllProperties(n).map(tzidParam)))
  const candidates = [...oldZones].filter((z) => !newZones.has(z))
  const text = joinContentLines(lines)
  if (candidates.length === 0) return text
  const referenced = new Set<string>()
  for (const calendar of parseCalendars(text)) {
    const walk = (comp: ICAL.Component) => {
      if (comp.name === 'vtimezone') return
      for (const prop of comp.getAllProperties()) {
        const tzid = tzidParam(prop)
        if (tzid) referenced.add(tzid)
      }
      comp.getAllSubcomponents().forEach(walk)
    }
    walk(calendar)
  }
  const unused = new Set(candidates.filter((z) => !referenced.has(z)))
  if (unused.size === 0) return text
  const kept: ContentLine[] = []
  let skipping = false
  let depth = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (!skipping && line.name === 'BEGIN' && lineValue(line).trim().toUpperCase() === 'VTIMEZONE') {
      const tzidLine = lines.slice(i + 1).find((l) => l.name === 'TZID')
      if (tzidLine && unused.has(lineValue(tzidLine))) {
        skipping = true
        depth = 0
      }
    }
    if (skipping) {
      if (line.name === 'BEGIN') depth++
      else if (line.name === 'END' && --depth === 0) skipping = false
      continue
    }
    kept.push(line)
  }
  return joinContentLines(kept)
}

/** The master VEVENT's appointment fields, or null when the resource holds no (master) VEVENT. */
export function readAppointmentEvent(ics: string, defaultTimeZone: string): AppointmentEventFields | null {
  const calendars = parseCalendars(ics)
  const master = calendars.flatMap((c) => c.getAllSubcomponents('vevent')).find((e) => !e.hasProperty('recurrence-id'))
  if (!master) return null
  const uid = eventUid(master)
  const info = readEvent(master, uid, zoneResolverFor(calendars, defaultTimeZone), new Set())
  const crm = master.getFirstProperty('x-crm-appointment-id')?.jCal[3]
  const sequence = Number.parseInt(String(master.getFirstPropertyValue('sequence') ?? '0'), 10)
  return {
    uid,
    start: new Date(info.startMs),
    end: new Date(Math.max(info.startMs, endMsFor(info.startLocal, info.startZone, info.startMs, info.duration))),
    summary: textValue(master, 'summary'),
    description: textValue(master, 'description'),
    location: textValue(master, 'location'),
    sequence: Number.isFinite(sequence) ? sequence : 0,
    crmAppointmentId: typeof crm === 'string' ? unescapeText(crm) : null,
    cancelled: textValue(master, 'status')?.toUpperCase() === 'CANCELLED',
  }
}
