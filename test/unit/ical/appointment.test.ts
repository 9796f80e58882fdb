import { describe, expect, it } from 'vitest'
import {
  buildAppointmentEvent,
  expandCalendarResource,
  ICalParseError,
  readAppointmentEvent,
  updateAppointmentEvent,
  type AppointmentEventInput,
} from '../../../src/caldav/ical/index.ts'
import { eventLines, fixture, parseLine, unfoldLines } from './fixtures.ts'

const base: AppointmentEventInput = {
  uid: 'appt-3c9e1f2a@icloud-scheduling-api',
  start: new Date('2025-03-28T08:00:00Z'),
  end: new Date('2025-03-28T09:00:00Z'),
  timeZone: 'Europe/Berlin',
  summary: 'Beratung: Müller, Anna; Folgetermin',
  description: 'Bitte Unterlagen mitbringen.\nZweite Zeile, mit Komma; und Semikolon \\ Backslash',
  location: 'Praxis Mitte, Raum 2',
  organizer: { name: 'Dr. Jana Owner', email: 'jana.owner@icloud.com' },
  attendees: [
    { name: 'Müller, Anna', email: 'anna.mueller@example.de' },
    { name: 'Dr. Jana Owner', email: 'jana.owner@icloud.com' },
  ],
  sequence: 0,
  crmAppointmentId: 'crm_appt_01HZX3K9Q7',
}

function expandAll(ics: string, defaultTimeZone = 'UTC') {
  return expandCalendarResource(ics, {
    windowStart: new Date('2000-01-01T00:00:00Z'),
    windowEnd: new Date('2100-01-01T00:00:00Z'),
    defaultTimeZone,
    ownerEmails: ['jana.owner@icloud.com'],
  }).occurrences
}

const lineOf = (ics: string, name: string) => eventLines(ics).filter((l) => l.name === name)

describe('buildAppointmentEvent', () => {
  const ics = buildAppointmentEvent(base)

  it('writes a well-formed resource: CRLF, folded at 75 octets, PRODID and VERSION', () => {
    expect(ics.endsWith('\r\n')).toBe(true)
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    for (const physical of ics.split('\r\n')) expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(75)
    const lines = unfoldLines(ics)
    expect(lines[0]).toBe('BEGIN:VCALENDAR')
    expect(lines.at(-1)).toBe('END:VCALENDAR')
    expect(lines).toContain('PRODID:-//icloud-scheduling-api//EN')
    expect(lines).toContain('VERSION:2.0')
  })

  it('writes DTSTART/DTEND as local time in the zone, with its VTIMEZONE before the VEVENT', () => {
    const lines = unfoldLines(ics)
    expect(lines).toContain('DTSTART;TZID=Europe/Berlin:20250328T090000')
    expect(lines).toContain('DTEND;TZID=Europe/Berlin:20250328T100000')
    const tz = lines.indexOf('BEGIN:VTIMEZONE')
    expect(tz).toBeGreaterThan(0)
    expect(lines[tz + 1]).toBe('TZID:Europe/Berlin')
    expect(tz).toBeLessThan(lines.indexOf('BEGIN:VEVENT'))
  })

  it('writes the bookkeeping properties', () => {
    const props = Object.fromEntries(eventLines(ics).map((l) => [l.name, l.value]))
    expect(props).toMatchObject({
      UID: base.uid,
      SEQUENCE: '0',
      STATUS: 'CONFIRMED',
      TRANSP: 'OPAQUE',
      'X-CRM-APPOINTMENT-ID': 'crm_appt_01HZX3K9Q7',
      'X-CRM-SOURCE': 'icloud-scheduling-api',
      SUMMARY: 'Beratung: Müller\\, Anna\\; Folgetermin',
    })
    for (const name of ['DTSTAMP', 'CREATED', 'LAST-MODIFIED']) expect(props[name]).toMatch(/^\d{8}T\d{6}Z$/)
    const stamp = props.DTSTAMP!
    const stampMs = Date.UTC(
      +stamp.slice(0, 4),
      +stamp.slice(4, 6) - 1,
      +stamp.slice(6, 8),
      +stamp.slice(9, 11),
      +stamp.slice(11, 13),
      +stamp.slice(13, 15),
    )
    expect(Math.abs(stampMs - Date.now())).toBeLessThan(60_000)
  })

  it('marks organizer and attendees SCHEDULE-AGENT=CLIENT with CN, ROLE and PARTSTAT', () => {
    const [organizer] = lineOf(ics, 'ORGANIZER')
    expect(organizer).toEqual({
      name: 'ORGANIZER',
      params: { CN: 'Dr. Jana Owner', 'SCHEDULE-AGENT': 'CLIENT' },
      value: 'mailto:jana.owner@icloud.com',
    })
    const attendees = lineOf(ics, 'ATTENDEE')
    expect(attendees.map((a) => [a.value, a.params])).toEqual([
      [
        'mailto:anna.mueller@example.de',
        {
          CN: 'Müller, Anna',
          'SCHEDULE-AGENT': 'CLIENT',
          CUTYPE: 'INDIVIDUAL',
          ROLE: 'REQ-PARTICIPANT',
          PARTSTAT: 'NEEDS-ACTION',
        },
      ],
      [
        'mailto:jana.owner@icloud.com',
        {
          CN: 'Dr. Jana Owner',
          'SCHEDULE-AGENT': 'CLIENT',
          CUTYPE: 'INDIVIDUAL',
          ROLE: 'REQ-PARTICIPANT',
          PARTSTAT: 'ACCEPTED',
        },
      ],
    ])
    // A CN with a comma must be quoted on the wire.
    expect(unfoldLines(ics).some((l) => l.startsWith('ATTENDEE;CN="Müller, Anna";'))).toBe(true)
  })

  it('expands back to the same instants, also across the DST change', () => {
    expect(expandAll(ics).map((o) => [o.uid, o.start.toISOString(), o.end.toISOString(), o.transparency])).toEqual([
      [base.uid, '2025-03-28T08:00:00.000Z', '2025-03-28T09:00:00.000Z', 'BUSY'],
    ])
    // 27 Oct 2025 is after the switch back to CET; a 2-hour slot spanning the 26 Oct 03:00 → 02:00 change.
    const winter = buildAppointmentEvent({
      ...base,
      start: new Date('2025-10-27T09:00:00Z'),
      end: new Date('2025-10-27T10:00:00Z'),
    })
    expect(unfoldLines(winter)).toContain('DTSTART;TZID=Europe/Berlin:20251027T100000')
    expect(expandAll(winter)[0]!.start.toISOString()).toBe('2025-10-27T09:00:00.000Z')
    const overnight = buildAppointmentEvent({
      ...base,
      start: new Date('2025-10-25T23:30:00Z'),
      end: new Date('2025-10-26T01:30:00Z'),
    })
    expect(unfoldLines(overnight)).toContain('DTSTART;TZID=Europe/Berlin:20251026T013000')
    // 01:30Z is the second 02:30 of that night: local time cannot say which, so it is written in UTC.
    expect(unfoldLines(overnight)).toContain('DTEND:20251026T013000Z')
    expect(expandAll(overnight).map((o) => [o.start.toISOString(), o.end.toISOString()])).toEqual([
      ['2025-10-25T23:30:00.000Z', '2025-10-26T01:30:00.000Z'],
    ])
  })

  it('writes other zones and UTC', () => {
    const ny = buildAppointmentEvent({
      ...base,
      timeZone: 'America/New_York',
      start: new Date('2025-07-01T13:00:00Z'),
      end: new Date('2025-07-01T13:45:00Z'),
    })
    expect(unfoldLines(ny)).toContain('DTSTART;TZID=America/New_York:20250701T090000')
    expect(expandAll(ny, 'Europe/Berlin')[0]!.start.toISOString()).toBe('2025-07-01T13:00:00.000Z')
    const utc = buildAppointmentEvent({ ...base, timeZone: 'UTC' })
    expect(unfoldLines(utc)).toContain('DTSTART:20250328T080000Z')
    expect(utc).not.toContain('BEGIN:VTIMEZONE')
  })

  it('writes CANCELLED, which no longer blocks time', () => {
    const cancelled = buildAppointmentEvent({ ...base, status: 'CANCELLED', sequence: 3 })
    expect(unfoldLines(cancelled)).toContain('STATUS:CANCELLED')
    expect(expandAll(cancelled)).toEqual([])
    expect(readAppointmentEvent(cancelled, 'UTC')).toMatchObject({ cancelled: true, sequence: 3 })
  })

  it('rejects bad input', () => {
    expect(() => buildAppointmentEvent({ ...base, timeZone: 'Mars/Olympus' })).toThrow(RangeError)
    expect(() => buildAppointmentEvent({ ...base, timeZone: 'W. Europe Standard Time' })).toThrow(RangeError)
    expect(() => buildAppointmentEvent({ ...base, end: new Date('2025-03-28T07:00:00Z') })).toThrow(RangeError)
    expect(() => buildAppointmentEvent({ ...base, uid: 'a\r\nX-EVIL:1' })).toThrow(RangeError)
    expect(() => buildAppointmentEvent({ ...base, sequence: -1 })).toThrow(RangeError)
  })
})

describe('readAppointmentEvent', () => {
  it('round-trips what buildAppointmentEvent wrote, special characters included', () => {
    const input = {
      ...base,
      crmAppointmentId: 'crm,1;2\\3',
      description: `${'Lange Beschreibung mit Umlauten äöüß '.repeat(8)}\nEnde`,
    }
    expect(readAppointmentEvent(buildAppointmentEvent(input), 'Europe/Berlin')).toEqual({
      uid: base.uid,
      start: base.start,
      end: base.end,
      summary: base.summary,
      description: input.description,
      location: base.location,
      sequence: 0,
      crmAppointmentId: 'crm,1;2\\3',
      cancelled: false,
    })
  })

  it('reads an appointment iCloud has edited', () => {
    expect(readAppointmentEvent(fixture('icloud-edited-appointment.ics'), 'Europe/Berlin')).toEqual({
      uid: 'appt-7f3c2a10-5b4e-4d6f-8a9b-0c1d2e3f4a5b@icloud-scheduling-api',
      start: new Date('2025-06-12T12:30:00Z'),
      end: new Date('2025-06-12T13:30:00Z'),
      summary: 'Erstberatung Müller',
      description: 'Erstberatung, bitte Unterlagen mitbringen.',
      location: 'Café Einstein Stammhaus\nKurfürstenstraße 58, 10785 Berlin, Germany',
      sequence: 1,
      crmAppointmentId: 'crm_appt_01HZX3K9Q7',
      cancelled: false,
    })
  })

  it('reads the master of a recurring resource, foreign events, and DURATION', () => {
    const master = readAppointmentEvent(fixture('google-monthly-invitation.ics'), 'UTC')!
    expect(master).toMatchObject({
      uid: '5s2k9d8f7g6h5j4k3l2m1n0b9v@google.com',
      crmAppointmentId: null,
      location: null,
      sequence: 0,
    })
    expect(master.start.toISOString()).toBe('2025-01-14T16:00:00.000Z')
    const duration = fixture('export-floating-iana-tasks.ics').replace(
      /BEGIN:VEVENT[\s\S]*?END:VEVENT\r\n(BEGIN:VEVENT[\s\S]*?END:VEVENT\r\n)/,
      '',
    )
    expect(readAppointmentEvent(duration, 'UTC')).toMatchObject({
      uid: 'duration-1@booking.example',
      end: new Date('2025-06-11T07:45:00Z'),
    })
  })

  it('returns null without a VEVENT and throws ICalParseError on garbage', () => {
    const todo =
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VTODO\r\nUID:t\r\nDTSTAMP:20250101T000000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n'
    expect(readAppointmentEvent(todo, 'UTC')).toBeNull()
    expect(() => readAppointmentEvent('<html>503 Service Unavailable</html>', 'UTC')).toThrow(ICalParseError)
  })
})

describe('updateAppointmentEvent', () => {
  const existing = fixture('icloud-edited-appointment.ics')
  const uid = 'appt-7f3c2a10-5b4e-4d6f-8a9b-0c1d2e3f4a5b@icloud-scheduling-api'
  const input: AppointmentEventInput = {
    uid,
    start: new Date('2025-06-12T14:00:00Z'),
    end: new Date('2025-06-12T15:00:00Z'),
    timeZone: 'Europe/Berlin',
    summary: 'Erstberatung Müller (verschoben)',
    organizer: { name: 'Dr. Jana Owner', email: 'jana.owner@icloud.com' },
    attendees: [
      { name: 'Müller, Anna', email: 'Anna.Mueller@example.de' },
      { name: 'Dr. Jana Owner', email: 'jana.owner@icloud.com' },
      { name: 'Peter Müller', email: 'peter.mueller@example.de' },
    ],
    sequence: 2,
    crmAppointmentId: 'crm_appt_01HZX3K9Q7',
  }
  // Properties the product owns; everything else must come back byte for byte.
  const owned = new Set([
    'DTSTAMP',
    'LAST-MODIFIED',
    'SEQUENCE',
    'DTSTART',
    'DTEND',
    'SUMMARY',
    'ATTENDEE',
    'ORGANIZER',
  ])

  it('changes the owned properties and keeps every other line (X-APPLE-*, VALARMs, VTIMEZONE) byte for byte', () => {
    const updated = updateAppointmentEvent(existing, input)
    const physical = (text: string) => {
      // Logical lines with their original folding, so a re-folded or re-escaped line would not match.
      const out: string[] = []
      for (const l of text.split('\r\n')) {
        if (l.startsWith(' ') && out.length) out[out.length - 1] += `\r\n${l}`
        else if (l) out.push(l)
      }
      return out
    }
    const after = physical(updated)
    const kept = physical(existing).filter((l) => !owned.has(parseLine(l.replace(/\r\n /g, '')).name))
    for (const l of kept) expect(after, l).toContain(l)
    // The structured location with Apple's "\\n" escapes is the case ical.js would rewrite.
    expect(updated).toContain(physical(existing).find((l) => l.startsWith('X-APPLE-STRUCTURED-LOCATION'))!)
    expect(updated.match(/BEGIN:VALARM/g)).toHaveLength(2)
    expect(after.length).toBe(physical(existing).length + 1) // one attendee added
  })

  it('writes the new values', () => {
    const updated = updateAppointmentEvent(existing, input)
    const lines = unfoldLines(updated)
    expect(lines).toContain('DTSTART;TZID=Europe/Berlin:20250612T160000')
    expect(lines).toContain('DTEND;TZID=Europe/Berlin:20250612T170000')
    expect(lines).toContain('SUMMARY:Erstberatung Müller (verschoben)')
    expect(lines).toContain('SEQUENCE:2')
    expect(lines).toContain('CREATED:20250601T090000Z')
    expect(lines).not.toContain('DTSTAMP:20250603T071502Z')
    expect(readAppointmentEvent(updated, 'UTC')).toMatchObject({
      start: input.start,
      end: input.end,
      summary: input.summary,
      description: 'Erstberatung, bitte Unterlagen mitbringen.',
      location: 'Café Einstein Stammhaus\nKurfürstenstraße 58, 10785 Berlin, Germany',
      sequence: 2,
    })
    const [occ] = expandAll(updated)
    // Travel time set in iCloud still counts.
    expect(occ).toMatchObject({ start: input.start, busyStart: new Date('2025-06-12T13:35:00Z') })
  })

  it('keeps attendee replies, adds new attendees as NEEDS-ACTION and drops removed ones', () => {
    const updated = updateAppointmentEvent(existing, {
      ...input,
      attendees: [input.attendees[0]!, input.attendees[2]!],
    })
    const attendees = lineOf(updated, 'ATTENDEE')
    expect(attendees.map((a) => [a.value, a.params.PARTSTAT, a.params['SCHEDULE-AGENT'], a.params.ROLE])).toEqual([
      ['mailto:Anna.Mueller@example.de', 'ACCEPTED', 'CLIENT', 'REQ-PARTICIPANT'],
      ['mailto:peter.mueller@example.de', 'NEEDS-ACTION', 'CLIENT', 'REQ-PARTICIPANT'],
    ])
  })

  it('keeps the text of attendee lines that did not change when another attendee is added', () => {
    const attendees = [
      { name: 'Müller, Anna', email: 'anna.mueller@example.de' },
      { name: 'Dr. Jana Owner', email: 'jana.owner@icloud.com' },
      { name: 'Peter Müller', email: 'peter.mueller@example.de' },
    ]
    const updated = unfoldLines(updateAppointmentEvent(existing, { ...input, attendees }))
    // iCloud quotes EMAIL="…"; re-rendering through ical.js would drop the quotes.
    for (const line of unfoldLines(existing).filter((l) => l.startsWith('ATTENDEE'))) {
      expect(line).toContain('EMAIL="')
      expect(updated).toContain(line)
    }
    expect(updated.filter((l) => l.startsWith('ATTENDEE'))).toHaveLength(3)
  })

  it('adds properties the event lacks before its VALARMs and replaces DURATION by DTEND', () => {
    const withDuration = existing
      .replace('DTEND;TZID=Europe/Berlin:20250612T153000\r\n', 'DURATION:PT1H\r\n')
      .replace('DESCRIPTION:Erstberatung\\, bitte Unterlagen mitbringen.\r\n', '')
    expect(withDuration).toContain('DURATION:PT1H')
    expect(lineOf(withDuration, 'DESCRIPTION')).toEqual([])
    const updated = updateAppointmentEvent(withDuration, { ...input, description: 'Neu' })
    const lines = unfoldLines(updated)
    expect(lines).not.toContain('DURATION:PT1H')
    const firstAlarm = lines.indexOf('BEGIN:VALARM')
    for (const line of ['DTEND;TZID=Europe/Berlin:20250612T170000', 'DESCRIPTION:Neu']) {
      expect(lines).toContain(line)
      expect(lines.indexOf(line)).toBeLessThan(firstAlarm)
    }
    expect(readAppointmentEvent(updated, 'UTC')).toMatchObject({ end: input.end, description: 'Neu' })
  })

  it('never lowers SEQUENCE', () => {
    expect(unfoldLines(updateAppointmentEvent(existing, { ...input, sequence: 0 }))).toContain('SEQUENCE:1')
  })

  it('rewrites nothing but DTSTAMP/LAST-MODIFIED when the values are unchanged', () => {
    const same: AppointmentEventInput = {
      ...input,
      start: new Date('2025-06-12T12:30:00Z'),
      end: new Date('2025-06-12T13:30:00Z'),
      summary: 'Erstberatung Müller',
      attendees: [
        { name: 'Müller, Anna', email: 'anna.mueller@example.de' },
        { name: 'Dr. Jana Owner', email: 'jana.owner@icloud.com' },
      ],
      sequence: 1,
      status: 'CONFIRMED',
    }
    const before = existing.split('\r\n')
    const after = updateAppointmentEvent(existing, same).split('\r\n')
    expect(after.length).toBe(before.length)
    const changed = after.filter((l, i) => l !== before[i]).map((l) => l.split(':')[0])
    expect(changed).toEqual(['DTSTAMP', 'LAST-MODIFIED'])
  })

  it('drops the stale structured location when the location text changes, and removes LOCATION on null', () => {
    const moved = updateAppointmentEvent(existing, { ...input, location: 'Praxis Mitte, Raum 2' })
    expect(unfoldLines(moved)).toContain('LOCATION:Praxis Mitte\\, Raum 2')
    expect(moved).not.toContain('X-APPLE-STRUCTURED-LOCATION')
    expect(moved).toContain('X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC')
    const removed = updateAppointmentEvent(existing, { ...input, location: null, description: null })
    expect(readAppointmentEvent(removed, 'UTC')).toMatchObject({ location: null, description: null })
  })

  it('switches the embedded VTIMEZONE when the zone changes', () => {
    const updated = updateAppointmentEvent(existing, { ...input, timeZone: 'America/New_York' })
    const lines = unfoldLines(updated)
    expect(lines).toContain('TZID:America/New_York')
    expect(lines).not.toContain('TZID:Europe/Berlin')
    expect(lines).toContain('DTSTART;TZID=America/New_York:20250612T100000')
    expect(lines.indexOf('TZID:America/New_York')).toBeLessThan(lines.indexOf('BEGIN:VEVENT'))
    expect(expandAll(updated, 'Asia/Tokyo')[0]!.start).toEqual(input.start)
    // Switching back re-adds the Berlin zone.
    const back = updateAppointmentEvent(updated, input)
    expect(unfoldLines(back)).toContain('TZID:Europe/Berlin')
    expect(unfoldLines(back)).not.toContain('TZID:America/New_York')
  })

  it('cancels', () => {
    const updated = updateAppointmentEvent(existing, { ...input, status: 'CANCELLED', sequence: 3 })
    expect(unfoldLines(updated)).toContain('STATUS:CANCELLED')
    expect(expandAll(updated)).toEqual([])
  })

  it('updates what buildAppointmentEvent wrote', () => {
    const built = buildAppointmentEvent(base)
    const updated = updateAppointmentEvent(built, {
      ...base,
      start: new Date('2025-11-03T09:00:00Z'),
      end: new Date('2025-11-03T10:00:00Z'),
      sequence: 1,
    })
    expect(readAppointmentEvent(updated, 'UTC')).toMatchObject({
      start: new Date('2025-11-03T09:00:00Z'),
      sequence: 1,
      crmAppointmentId: base.crmAppointmentId,
    })
    expect(unfoldLines(updated)).toContain('DTSTART;TZID=Europe/Berlin:20251103T100000')
  })

  it('refuses a resource without that UID', () => {
    expect(() => updateAppointmentEvent(existing, { ...input, uid: 'someone-else' })).toThrow(ICalParseError)
    expect(() => updateAppointmentEvent('garbage', input)).toThrow(ICalParseError)
  })
})
