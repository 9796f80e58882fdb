import { describe, expect, it } from 'vitest'
import {
  expandCalendarResource,
  ICalParseError,
  type ExpandOptions,
  type Occurrence,
} from '../../../src/caldav/ical/index.ts'
import { fixture } from './fixtures.ts'

// Long unfolded lines are still valid input; unfolding lets a test edit a value that the fixture folds.
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '')

const OWNER = 'jana.owner@icloud.com'

function expand(ics: string, from: string, to: string, options: Partial<ExpandOptions> = {}) {
  return expandCalendarResource(ics, {
    windowStart: new Date(from),
    windowEnd: new Date(to),
    defaultTimeZone: 'Europe/Berlin',
    ownerEmails: [OWNER],
    ...options,
  })
}

// A bare resource around one VEVENT body, for rules no fixture covers.
const minimal = (body: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    'UID:x',
    'DTSTAMP:20250101T000000Z',
    body,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n')

const starts = (occs: Occurrence[]) => occs.map((o) => o.start.toISOString())
const spans = (occs: Occurrence[]) => occs.map((o) => `${o.start.toISOString()}/${o.end.toISOString()}`)

describe('iCloud weekly series: VTIMEZONE after the VEVENT, EXDATE, moved and cancelled overrides', () => {
  const ics = fixture('icloud-weekly-jour-fixe.ics')
  const uid = '9E2A1F5C-3B7D-4C8E-A1F2-6D5E4C3B2A10'

  it('expands Mondays 09:00 Berlin, skipping the EXDATE and the cancelled instance, moving the override', () => {
    const { occurrences, uids } = expand(ics, '2025-03-01T00:00:00Z', '2025-04-15T00:00:00Z')
    expect(uids).toEqual([uid])
    expect(occurrences.map((o) => [o.recurrenceId, o.start.toISOString(), o.end.toISOString(), o.title])).toEqual([
      ['2025-03-03T08:00:00.000Z', '2025-03-03T08:00:00.000Z', '2025-03-03T09:00:00.000Z', 'Team-Jour-fixe'],
      ['2025-03-10T08:00:00.000Z', '2025-03-10T08:00:00.000Z', '2025-03-10T09:00:00.000Z', 'Team-Jour-fixe'],
      // 17 March: EXDATE. 24 March moved to Tuesday 25 March 14:00 CET.
      [
        '2025-03-24T08:00:00.000Z',
        '2025-03-25T13:00:00.000Z',
        '2025-03-25T14:00:00.000Z',
        'Team-Jour-fixe (verschoben)',
      ],
      // DST from 30 March: 09:00 CEST is 07:00Z.
      ['2025-03-31T07:00:00.000Z', '2025-03-31T07:00:00.000Z', '2025-03-31T08:00:00.000Z', 'Team-Jour-fixe'],
      // 7 April: override with STATUS:CANCELLED.
      ['2025-04-14T07:00:00.000Z', '2025-04-14T07:00:00.000Z', '2025-04-14T08:00:00.000Z', 'Team-Jour-fixe'],
    ])
    for (const o of occurrences) {
      expect(o).toMatchObject({ uid, allDay: false, transparency: 'BUSY' })
      expect(o.busyStart).toEqual(o.start)
    }
  })

  it('follows the autumn DST change (07:00Z in October summer time, 08:00Z after 26 October)', () => {
    const { occurrences } = expand(ics, '2025-10-13T00:00:00Z', '2025-11-04T00:00:00Z')
    expect(starts(occurrences)).toEqual([
      '2025-10-13T07:00:00.000Z',
      '2025-10-20T07:00:00.000Z',
      '2025-10-27T08:00:00.000Z',
      '2025-11-03T08:00:00.000Z',
    ])
  })

  it('uses the VTIMEZONE that comes after the VEVENT (custom TZID, user in UTC)', () => {
    // With a TZID no library knows, only the resource's own VTIMEZONE gives 08:00Z; ignoring it would give 09:00Z.
    const custom = ics.replaceAll('Europe/Berlin', 'Mitteleuropa (Apple)')
    expect(custom.indexOf('BEGIN:VTIMEZONE')).toBeGreaterThan(custom.indexOf('BEGIN:VEVENT'))
    const { occurrences } = expand(custom, '2025-03-01T00:00:00Z', '2025-03-12T00:00:00Z', { defaultTimeZone: 'UTC' })
    expect(starts(occurrences)).toEqual(['2025-03-03T08:00:00.000Z', '2025-03-10T08:00:00.000Z'])
  })

  it('gives an override without DTEND the length of the series', () => {
    const noEnd = ics.replace('DTEND;TZID=Europe/Berlin:20250325T150000\r\n', '')
    expect(noEnd).not.toContain('20250325T150000')
    const moved = expand(noEnd, '2025-03-25T00:00:00Z', '2025-03-26T00:00:00Z').occurrences
    expect(spans(moved)).toEqual(['2025-03-25T13:00:00.000Z/2025-03-25T14:00:00.000Z'])
  })

  it('anchors the rule at DTSTART, not at the window start', () => {
    // Window starts on a Wednesday: the occurrences are still Mondays at 09:00.
    const { occurrences } = expand(ics, '2025-05-07T10:00:00Z', '2025-05-20T00:00:00Z')
    expect(starts(occurrences)).toEqual(['2025-05-12T07:00:00.000Z', '2025-05-19T07:00:00.000Z'])
  })

  it('includes occurrences overlapping the window edges and treats the end as exclusive', () => {
    // Window starts mid-event (08:30Z) and ends exactly at the next start (10 March 08:00Z).
    expect(starts(expand(ics, '2025-03-03T08:30:00Z', '2025-03-10T08:00:00Z').occurrences)).toEqual([
      '2025-03-03T08:00:00.000Z',
    ])
    expect(starts(expand(ics, '2025-03-03T08:30:00Z', '2025-03-10T08:00:01Z').occurrences)).toEqual([
      '2025-03-03T08:00:00.000Z',
      '2025-03-10T08:00:00.000Z',
    ])
    // A window starting when the event ends does not include it.
    expect(starts(expand(ics, '2025-03-03T09:00:00Z', '2025-03-04T00:00:00Z').occurrences)).toEqual([])
  })

  it('returns the UIDs even when nothing falls in the window', () => {
    const result = expand(ics, '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z')
    expect(result.occurrences).toEqual([])
    expect(result.uids).toEqual([uid])
  })
})

describe('long-running series', () => {
  const ics = fixture('icloud-biweekly-since-2016.ics')

  it('keeps the INTERVAL=2 week parity of a 2016 DTSTART in a 2025 window', () => {
    // 2016-01-04 → 2025-06-02 is 3437 days = 491 weeks (odd), so the week of 2 June is off; 9 and 23 June are on.
    const { occurrences } = expand(ics, '2025-06-01T00:00:00Z', '2025-06-29T00:00:00Z')
    expect(spans(occurrences)).toEqual([
      '2025-06-09T07:15:00.000Z/2025-06-09T07:30:00.000Z',
      '2025-06-11T07:15:00.000Z/2025-06-11T07:30:00.000Z',
      '2025-06-13T07:15:00.000Z/2025-06-13T07:30:00.000Z',
      '2025-06-23T07:15:00.000Z/2025-06-23T07:30:00.000Z',
      '2025-06-25T07:15:00.000Z/2025-06-25T07:30:00.000Z',
      '2025-06-27T07:15:00.000Z/2025-06-27T07:30:00.000Z',
    ])
    expect(occurrences.every((o) => o.recurrenceId === o.start.toISOString())).toBe(true)
  })

  it('expands the first weeks from DTSTART (winter time)', () => {
    const { occurrences } = expand(ics, '2016-01-01T00:00:00Z', '2016-01-25T00:00:00Z')
    expect(starts(occurrences)).toEqual([
      '2016-01-04T08:15:00.000Z',
      '2016-01-06T08:15:00.000Z',
      '2016-01-08T08:15:00.000Z',
      '2016-01-18T08:15:00.000Z',
      '2016-01-20T08:15:00.000Z',
      '2016-01-22T08:15:00.000Z',
    ])
  })

  it('expands a yearly all-day series started in 1990', () => {
    const ics = fixture('icloud-anniversary-yearly.ics')
    const { occurrences } = expand(ics, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
    expect(occurrences).toHaveLength(1)
    // All-day dates are read in the user's zone: 12 April 00:00 CEST.
    expect(occurrences[0]).toMatchObject({
      recurrenceId: '2025-04-11T22:00:00.000Z',
      start: new Date('2025-04-11T22:00:00Z'),
      end: new Date('2025-04-12T22:00:00Z'),
      allDay: true,
      title: 'Hochzeitstag',
    })
  })

  it('keeps MONTHLY INTERVAL=3 and YEARLY INTERVAL=2 aligned to a DTSTART years back', () => {
    const quarterly = minimal('DTSTART:20100115T100000Z\r\nDTEND:20100115T110000Z\r\nRRULE:FREQ=MONTHLY;INTERVAL=3')
    expect(starts(expand(quarterly, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z').occurrences)).toEqual([
      '2025-01-15T10:00:00.000Z',
      '2025-04-15T10:00:00.000Z',
      '2025-07-15T10:00:00.000Z',
      '2025-10-15T10:00:00.000Z',
    ])
    const biennial = minimal('DTSTART;VALUE=DATE:19900412\r\nRRULE:FREQ=YEARLY;INTERVAL=2')
    // 1990 + even years only: 2026, not 2025 or 2027.
    expect(starts(expand(biennial, '2025-01-01T00:00:00Z', '2028-01-01T00:00:00Z').occurrences)).toEqual([
      '2026-04-11T22:00:00.000Z',
    ])
  })

  it('makes an all-day occurrence on the DST day 23 hours long', () => {
    const ics = fixture('icloud-anniversary-yearly.ics').replace(
      'DTSTART;VALUE=DATE:19900412',
      'DTSTART;VALUE=DATE:19900330',
    )
    const { occurrences } = expand(ics, '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z')
    expect(spans(occurrences)).toEqual(['2025-03-29T23:00:00.000Z/2025-03-30T22:00:00.000Z'])
  })
})

describe('invalid dates in yearly rules (RFC 5545 §3.3.10: skipped, not moved)', () => {
  it('has no instance of a 29 February yearly series in 2025–2027', () => {
    const leap = minimal('DTSTART:20240229T100000Z\r\nDTEND:20240229T110000Z\r\nRRULE:FREQ=YEARLY')
    expect(starts(expand(leap, '2024-01-01T00:00:00Z', '2033-01-01T00:00:00Z').occurrences)).toEqual([
      '2024-02-29T10:00:00.000Z',
      '2028-02-29T10:00:00.000Z',
      '2032-02-29T10:00:00.000Z',
    ])
  })

  it('does not count skipped dates toward COUNT, and keeps an explicit BYMONTH', () => {
    const counted = minimal('DTSTART;VALUE=DATE:20240229\r\nRRULE:FREQ=YEARLY;BYMONTH=2;COUNT=3')
    expect(
      expand(counted, '2024-01-01T00:00:00Z', '2040-01-01T00:00:00Z', { defaultTimeZone: 'UTC' }).occurrences.map((o) =>
        o.start.toISOString().slice(0, 10),
      ),
    ).toEqual(['2024-02-29', '2028-02-29', '2032-02-29'])
  })

  it('skips 31 in months without it for a yearly rule over several months', () => {
    const endOfMonth = minimal('DTSTART:20250131T090000Z\r\nDTEND:20250131T100000Z\r\nRRULE:FREQ=YEARLY;BYMONTH=1,2,3')
    expect(starts(expand(endOfMonth, '2025-01-01T00:00:00Z', '2025-12-31T00:00:00Z').occurrences)).toEqual([
      '2025-01-31T09:00:00.000Z',
      '2025-03-31T09:00:00.000Z',
    ])
  })
})

describe('Google invitation: MONTHLY BYDAY=2TU with overrides', () => {
  const ics = fixture('google-monthly-invitation.ics')

  it('expands second Tuesdays 11:00 New York, moves March and drops the April instance the owner declined', () => {
    const { occurrences } = expand(ics, '2025-01-01T00:00:00Z', '2025-07-01T00:00:00Z')
    expect(occurrences.map((o) => [o.recurrenceId, o.start.toISOString(), o.end.toISOString()])).toEqual([
      ['2025-01-14T16:00:00.000Z', '2025-01-14T16:00:00.000Z', '2025-01-14T17:00:00.000Z'],
      ['2025-02-11T16:00:00.000Z', '2025-02-11T16:00:00.000Z', '2025-02-11T17:00:00.000Z'],
      // US DST began 9 March: 11:00 EDT = 15:00Z; the override moved it to Wednesday 15:00 EDT.
      ['2025-03-11T15:00:00.000Z', '2025-03-12T19:00:00.000Z', '2025-03-12T20:00:00.000Z'],
      ['2025-05-13T15:00:00.000Z', '2025-05-13T15:00:00.000Z', '2025-05-13T16:00:00.000Z'],
      ['2025-06-10T15:00:00.000Z', '2025-06-10T15:00:00.000Z', '2025-06-10T16:00:00.000Z'],
    ])
    expect(occurrences[2]!.title).toBe('Monthly product review (moved)')
  })

  it('keeps the declined instance for someone else (and ignores other attendees’ DECLINED)', () => {
    const { occurrences } = expand(ics, '2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z', {
      ownerEmails: ['marc@example.com'],
    })
    expect(starts(occurrences)).toEqual(['2025-04-08T15:00:00.000Z'])
  })
})

describe('Google MONTHLY BYDAY=-1FR with UNTIL', () => {
  it('expands last Fridays in Europe/London until the UNTIL instant, inclusive', () => {
    const { occurrences } = expand(
      fixture('google-last-friday-until.ics'),
      '2025-01-01T00:00:00Z',
      '2026-01-01T00:00:00Z',
    )
    expect(starts(occurrences)).toEqual([
      '2025-01-31T16:30:00.000Z',
      '2025-02-28T16:30:00.000Z',
      '2025-03-28T16:30:00.000Z',
      // BST from 30 March.
      '2025-04-25T15:30:00.000Z',
      '2025-05-30T15:30:00.000Z',
      '2025-06-27T15:30:00.000Z',
    ])
    expect(occurrences[0]!.title).toBe('Team drinks')
  })
})

describe('all-day events', () => {
  it('reads a multi-day TRANSPARENT all-day event in the user zone', () => {
    const { occurrences } = expand(
      fixture('icloud-all-day-vacation.ics'),
      '2025-07-01T00:00:00Z',
      '2025-08-01T00:00:00Z',
    )
    expect(occurrences).toEqual([
      {
        uid: '3A7F9C1E-5B2D-4E8A-9C0F-1D2E3F4A5B6C',
        recurrenceId: null,
        start: new Date('2025-07-13T22:00:00Z'),
        end: new Date('2025-07-18T22:00:00Z'),
        busyStart: new Date('2025-07-13T22:00:00Z'),
        allDay: true,
        transparency: 'FREE',
        title: 'Urlaub Ostsee',
      },
    ])
  })

  it('reads Google weekly all-day COUNT=3 in whatever zone the user is in', () => {
    const ics = fixture('google-all-day-free.ics')
    const berlin = expand(ics, '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z').occurrences
    expect(spans(berlin)).toEqual([
      '2025-03-02T23:00:00.000Z/2025-03-03T23:00:00.000Z',
      '2025-03-09T23:00:00.000Z/2025-03-10T23:00:00.000Z',
      '2025-03-16T23:00:00.000Z/2025-03-17T23:00:00.000Z',
    ])
    expect(berlin.every((o) => o.allDay && o.transparency === 'FREE')).toBe(true)
    const newYork = expand(ics, '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z', { defaultTimeZone: 'America/New_York' })
    // 10 March is after the US DST change: midnight EDT is 04:00Z.
    expect(starts(newYork.occurrences)).toEqual([
      '2025-03-03T05:00:00.000Z',
      '2025-03-10T04:00:00.000Z',
      '2025-03-17T04:00:00.000Z',
    ])
  })

  it('treats an OPAQUE Outlook all-day event as busy', () => {
    const { occurrences } = expand(fixture('outlook-all-day-oof.ics'), '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z')
    expect(occurrences.map((o) => [o.start.toISOString(), o.end.toISOString(), o.allDay, o.transparency])).toEqual([
      ['2025-03-26T23:00:00.000Z', '2025-03-27T23:00:00.000Z', true, 'BUSY'],
    ])
  })
})

describe('Outlook time zones', () => {
  it('expands a bi-weekly TU,TH series in its "W. Europe Standard Time" VTIMEZONE (1601 rules)', () => {
    const { occurrences } = expand(
      fixture('outlook-biweekly-w-europe.ics'),
      '2025-03-01T00:00:00Z',
      '2025-04-18T00:00:00Z',
      {
        defaultTimeZone: 'UTC',
      },
    )
    expect(starts(occurrences)).toEqual([
      '2025-03-04T10:00:00.000Z',
      '2025-03-06T10:00:00.000Z',
      '2025-03-18T10:00:00.000Z',
      '2025-03-20T10:00:00.000Z',
      // 1 April is an EXDATE (quoted TZID); summer time from 30 March.
      '2025-04-03T09:00:00.000Z',
      '2025-04-15T09:00:00.000Z',
      '2025-04-17T09:00:00.000Z',
    ])
    expect(occurrences[0]!.title).toBe('Sprint Sync')
    expect(occurrences[0]!.end.toISOString()).toBe('2025-03-04T10:30:00.000Z')
  })

  it('maps a Windows TZID without VTIMEZONE ("Pacific Standard Time") to America/Los_Angeles', () => {
    const ics = fixture('outlook-pacific-no-vtimezone.ics')
    expect(ics).not.toContain('BEGIN:VTIMEZONE')
    const { occurrences } = expand(ics, '2025-01-01T00:00:00Z', '2026-06-01T00:00:00Z')
    // MONTHLY BYMONTHDAY=15 COUNT=12: the 15th of each month of 2025, 10:00 PST (18:00Z) or PDT (17:00Z).
    expect(occurrences).toHaveLength(12)
    expect(starts(occurrences)).toEqual([
      '2025-01-15T18:00:00.000Z',
      '2025-02-15T18:00:00.000Z',
      '2025-03-15T17:00:00.000Z',
      '2025-04-15T17:00:00.000Z',
      '2025-05-15T17:00:00.000Z',
      '2025-06-15T17:00:00.000Z',
      '2025-07-15T17:00:00.000Z',
      '2025-08-15T17:00:00.000Z',
      '2025-09-15T17:00:00.000Z',
      '2025-10-15T17:00:00.000Z',
      '2025-11-15T18:00:00.000Z',
      '2025-12-15T18:00:00.000Z',
    ])
  })
})

describe('RANGE=THISANDFUTURE (Lotus Notes)', () => {
  it('applies the shift and title to later instances, with exact overrides taking precedence', () => {
    const { occurrences } = expand(
      fixture('lotus-notes-thisandfuture.ics'),
      '2025-05-01T00:00:00Z',
      '2025-06-01T00:00:00Z',
      {
        defaultTimeZone: 'UTC',
      },
    )
    expect(
      occurrences.map((o) => [o.recurrenceId, `${o.start.toISOString()}/${o.end.toISOString()}`, o.title]),
    ).toEqual([
      ['2025-05-05T08:00:00.000Z', '2025-05-05T08:00:00.000Z/2025-05-05T09:00:00.000Z', 'Schulung'],
      ['2025-05-06T08:00:00.000Z', '2025-05-06T08:00:00.000Z/2025-05-06T09:00:00.000Z', 'Schulung'],
      ['2025-05-07T08:00:00.000Z', '2025-05-07T08:00:00.000Z/2025-05-07T09:00:00.000Z', 'Schulung'],
      ['2025-05-08T08:00:00.000Z', '2025-05-08T08:00:00.000Z/2025-05-08T09:00:00.000Z', 'Schulung'],
      ['2025-05-09T08:00:00.000Z', '2025-05-09T12:30:00.000Z/2025-05-09T13:30:00.000Z', 'Schulung (nachmittags)'],
      ['2025-05-10T08:00:00.000Z', '2025-05-10T12:30:00.000Z/2025-05-10T13:30:00.000Z', 'Schulung (nachmittags)'],
      ['2025-05-11T08:00:00.000Z', '2025-05-11T12:30:00.000Z/2025-05-11T13:30:00.000Z', 'Schulung (nachmittags)'],
      ['2025-05-12T08:00:00.000Z', '2025-05-12T14:00:00.000Z/2025-05-12T15:00:00.000Z', 'Schulung (Sondertermin)'],
      ['2025-05-13T08:00:00.000Z', '2025-05-13T12:30:00.000Z/2025-05-13T13:30:00.000Z', 'Schulung (nachmittags)'],
      ['2025-05-14T08:00:00.000Z', '2025-05-14T12:30:00.000Z/2025-05-14T13:30:00.000Z', 'Schulung (nachmittags)'],
    ])
  })

  it('finds instances moved into the window from before it', () => {
    const { occurrences } = expand(
      fixture('lotus-notes-thisandfuture.ics'),
      '2025-05-10T12:00:00Z',
      '2025-05-10T13:00:00Z',
    )
    expect(occurrences.map((o) => o.recurrenceId)).toEqual(['2025-05-10T08:00:00.000Z'])
  })
})

describe('RDATE (Evolution, prefixed TZID)', () => {
  it('adds RDATE date-times and periods to the RRULE set and honours EXDATE', () => {
    const { occurrences } = expand(fixture('evolution-rdate.ics'), '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z')
    expect(spans(occurrences)).toEqual([
      '2025-06-02T08:00:00.000Z/2025-06-02T09:00:00.000Z',
      // 9 June: EXDATE. 11 June 15:00 and 20 June 08:00 Berlin: RDATEs with the series' length.
      '2025-06-11T13:00:00.000Z/2025-06-11T14:00:00.000Z',
      '2025-06-16T08:00:00.000Z/2025-06-16T09:00:00.000Z',
      '2025-06-20T06:00:00.000Z/2025-06-20T07:00:00.000Z',
      // PERIOD RDATE: its own length.
      '2025-06-25T12:00:00.000Z/2025-06-25T14:00:00.000Z',
    ])
    expect(occurrences.map((o) => o.recurrenceId)).toEqual(starts(occurrences))
  })
})

describe('floating times, IANA TZIDs without VTIMEZONE, missing DTEND, other components', () => {
  const ics = fixture('export-floating-iana-tasks.ics')
  const byUid = (occs: Occurrence[], uid: string) => occs.find((o) => o.uid === uid)

  it('lists only VEVENT UIDs', () => {
    expect(expand(ics, '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z').uids).toEqual([
      'floating-1@booking.example',
      'iana-no-vtimezone-1@booking.example',
      'duration-1@booking.example',
      'no-end-timed-1@booking.example',
      'no-end-all-day-1@booking.example',
    ])
  })

  it('reads floating times in the user zone and IANA TZIDs in their own zone', () => {
    const berlin = expand(ics, '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z').occurrences
    const la = expand(ics, '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z', {
      defaultTimeZone: 'America/Los_Angeles',
    }).occurrences
    expect(byUid(berlin, 'floating-1@booking.example')!.start.toISOString()).toBe('2025-06-10T07:00:00.000Z')
    expect(byUid(la, 'floating-1@booking.example')!.start.toISOString()).toBe('2025-06-10T16:00:00.000Z')
    for (const occs of [berlin, la]) {
      const ny = byUid(occs, 'iana-no-vtimezone-1@booking.example')!
      expect([ny.start.toISOString(), ny.end.toISOString()]).toEqual([
        '2025-06-10T13:00:00.000Z',
        '2025-06-10T13:30:00.000Z',
      ])
    }
  })

  it('uses DURATION, 0 for a timed event without end and 1 day for an all-day one', () => {
    const occs = expand(ics, '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z').occurrences
    expect(spans([byUid(occs, 'duration-1@booking.example')!])).toEqual([
      '2025-06-11T07:00:00.000Z/2025-06-11T07:45:00.000Z',
    ])
    expect(spans([byUid(occs, 'no-end-timed-1@booking.example')!])).toEqual([
      '2025-06-11T12:00:00.000Z/2025-06-11T12:00:00.000Z',
    ])
    const allDay = byUid(occs, 'no-end-all-day-1@booking.example')!
    expect([allDay.allDay, ...spans([allDay])]).toEqual([true, '2025-06-11T22:00:00.000Z/2025-06-12T22:00:00.000Z'])
    expect(occs.map((o) => o.title)).not.toContain('Angebot schreiben')
    expect(occs.map((o) => o.title)).not.toContain('Notizen')
  })

  it('includes a zero-length event at the window start but not at the window end', () => {
    const uid = 'no-end-timed-1@booking.example'
    expect(byUid(expand(ics, '2025-06-11T12:00:00Z', '2025-06-11T13:00:00Z').occurrences, uid)).toBeDefined()
    expect(byUid(expand(ics, '2025-06-11T11:00:00Z', '2025-06-11T12:00:00Z').occurrences, uid)).toBeUndefined()
  })
})

describe('travel time', () => {
  const ics = fixture('icloud-travel-time.ics')

  it('moves busyStart back by X-APPLE-TRAVEL-DURATION', () => {
    const [o] = expand(ics, '2025-06-12T00:00:00Z', '2025-06-13T00:00:00Z').occurrences
    expect(o).toMatchObject({
      start: new Date('2025-06-12T12:00:00Z'),
      end: new Date('2025-06-12T13:30:00Z'),
      busyStart: new Date('2025-06-12T11:30:00Z'),
      title: 'Kundentermin Wagner',
    })
  })

  it('returns the event when only its travel time overlaps the window', () => {
    expect(expand(ics, '2025-06-12T11:00:00Z', '2025-06-12T11:45:00Z').occurrences).toHaveLength(1)
    expect(expand(ics, '2025-06-12T11:00:00Z', '2025-06-12T11:30:00Z').occurrences).toHaveLength(0)
  })
})

describe('declined and cancelled events', () => {
  it('drops an invitation the owner declined (mailto: compared case-insensitively)', () => {
    const ics = fixture('icloud-declined-invitation.ics')
    expect(unfold(ics)).toContain('mailto:Jana.Owner@iCloud.com')
    const result = expand(ics, '2025-05-01T00:00:00Z', '2025-06-01T00:00:00Z')
    expect(result.occurrences).toEqual([])
    expect(result.uids).toEqual(['E7F8A9B0-C1D2-4E3F-8A5B-6C7D8E9F0A1B'])
    // For another calendar owner the same event blocks time.
    const other = expand(ics, '2025-05-01T00:00:00Z', '2025-06-01T00:00:00Z', {
      ownerEmails: ['lukas.klein@example.de'],
    })
    expect(starts(other.occurrences)).toEqual(['2025-05-20T08:30:00.000Z'])
  })

  it('recognises the owner by the EMAIL parameter when the address is not mailto:', () => {
    const ics = unfold(fixture('icloud-declined-invitation.ics')).replace(
      'mailto:Jana.Owner@iCloud.com',
      'urn:uuid:0b5c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e',
    )
    expect(ics).not.toContain('mailto:Jana.Owner')
    expect(expand(ics, '2025-05-01T00:00:00Z', '2025-06-01T00:00:00Z').occurrences).toEqual([])
  })

  it('drops only the occurrence the owner declined in an accepted series', () => {
    const { occurrences } = expand(
      fixture('icloud-weekly-invitation-one-declined.ics'),
      '2025-06-01T00:00:00Z',
      '2025-07-01T00:00:00Z',
    )
    expect(starts(occurrences)).toEqual([
      '2025-06-02T06:00:00.000Z',
      '2025-06-16T06:00:00.000Z',
      '2025-06-23T06:00:00.000Z',
    ])
  })

  it('drops STATUS:CANCELLED events', () => {
    const ics = fixture('icloud-cancelled.ics')
    expect(expand(ics, '2025-05-01T00:00:00Z', '2025-06-01T00:00:00Z').occurrences).toEqual([])
    const confirmed = ics.replace('STATUS:CANCELLED', 'STATUS:CONFIRMED')
    expect(starts(expand(confirmed, '2025-05-01T00:00:00Z', '2025-06-01T00:00:00Z').occurrences)).toEqual([
      '2025-05-21T12:00:00.000Z',
    ])
  })
})

describe('"this and future" split in iCloud', () => {
  it('ends the old series at its UNTIL and starts the new one under a new UID', () => {
    const old = expand(fixture('icloud-split-series-old.ics'), '2025-01-01T00:00:00Z', '2025-05-01T00:00:00Z')
    expect(starts(old.occurrences)).toEqual([
      '2025-01-07T09:00:00.000Z',
      '2025-01-14T09:00:00.000Z',
      '2025-01-21T09:00:00.000Z',
      '2025-01-28T09:00:00.000Z',
      '2025-02-04T09:00:00.000Z',
      '2025-02-11T09:00:00.000Z',
      '2025-02-18T09:00:00.000Z',
      '2025-02-25T09:00:00.000Z',
    ])
    const next = expand(fixture('icloud-split-series-new.ics'), '2025-03-01T00:00:00Z', '2025-04-05T00:00:00Z')
    expect(next.uids).toEqual(['8B9C0D1E-2F3A-4B5C-8D7E-6F5A4B3C2D1E'])
    expect(starts(next.occurrences)).toEqual([
      '2025-03-04T10:00:00.000Z',
      '2025-03-11T10:00:00.000Z',
      '2025-03-18T10:00:00.000Z',
      '2025-03-25T10:00:00.000Z',
      '2025-04-01T09:00:00.000Z',
    ])
  })
})

describe('robustness', () => {
  it('throws ICalParseError on garbage', () => {
    for (const text of [
      '',
      'hello world',
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n',
    ]) {
      expect(() => expand(text, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), text).toThrow(ICalParseError)
    }
    expect(() => expand(minimal('SUMMARY:no start'), '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toThrow(
      ICalParseError,
    )
    expect(() => expand(minimal('DTSTART:tomorrow'), '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toThrow(
      ICalParseError,
    )
  })

  it('rejects an unknown user time zone', () => {
    expect(() =>
      expand(fixture('icloud-cancelled.ics'), '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', {
        defaultTimeZone: 'Mars/Olympus',
      }),
    ).toThrow(RangeError)
  })

  it('reads an unknown TZID without VTIMEZONE in the user zone', () => {
    const ics = minimal('DTSTART;TZID=Some Custom Zone:20250610T090000\r\nDTEND;TZID=Some Custom Zone:20250610T100000')
    expect(starts(expand(ics, '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z').occurrences)).toEqual([
      '2025-06-10T07:00:00.000Z',
    ])
  })

  it('reads a DATE value written without VALUE=DATE', () => {
    const ics = minimal('DTSTART:20250610\r\nDTEND:20250611')
    const [o] = expand(ics, '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z').occurrences
    expect(o).toMatchObject({
      allDay: true,
      start: new Date('2025-06-09T22:00:00Z'),
      end: new Date('2025-06-10T22:00:00Z'),
    })
  })

  it('keeps DTSTART when ical.js rejects the rule', () => {
    const ics = minimal('DTSTART:20250610T090000Z\r\nDTEND:20250610T100000Z\r\nRRULE:FREQ=MONTHLY;BYYEARDAY=1')
    expect(starts(expand(ics, '2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z').occurrences)).toEqual([
      '2025-06-10T09:00:00.000Z',
    ])
  })

  it('includes the whole last day for a DATE UNTIL on a timed series', () => {
    const ics = minimal(
      'DTSTART;TZID=Europe/Berlin:20250602T180000\r\nDTEND;TZID=Europe/Berlin:20250602T190000\r\nRRULE:FREQ=DAILY;UNTIL=20250604',
    )
    expect(starts(expand(ics, '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z').occurrences)).toEqual([
      '2025-06-02T16:00:00.000Z',
      '2025-06-03T16:00:00.000Z',
      '2025-06-04T16:00:00.000Z',
    ])
  })

  it('reads times in the skipped and the repeated DST hour per RFC 5545 §3.3.5', () => {
    // 02:30 does not exist on 30 March in Berlin: read with the offset before the gap (+01:00) → 01:30Z.
    const daily = minimal(
      'DTSTART;TZID=Europe/Berlin:20250329T023000\r\nDTEND;TZID=Europe/Berlin:20250329T024500\r\nRRULE:FREQ=DAILY;COUNT=3',
    )
    expect(starts(expand(daily, '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z').occurrences)).toEqual([
      '2025-03-29T01:30:00.000Z',
      '2025-03-30T01:30:00.000Z',
      '2025-03-31T00:30:00.000Z',
    ])
    // 02:30 happens twice on 26 October: the first one (+02:00) → 00:30Z.
    const fold = minimal('DTSTART;TZID=Europe/Berlin:20251026T023000\r\nDTEND;TZID=Europe/Berlin:20251026T040000')
    expect(spans(expand(fold, '2025-10-01T00:00:00Z', '2025-11-01T00:00:00Z').occurrences)).toEqual([
      '2025-10-26T00:30:00.000Z/2025-10-26T03:00:00.000Z',
    ])
  })

  it('ignores a VCALENDAR without events', () => {
    const ics =
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VTODO\r\nUID:t\r\nDTSTAMP:20250101T000000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n'
    expect(expand(ics, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toEqual({ occurrences: [], uids: [] })
  })

  it('stops an endless daily series at the window', () => {
    const ics = minimal('DTSTART:19700101T090000Z\r\nDTEND:19700101T100000Z\r\nRRULE:FREQ=DAILY')
    const { occurrences } = expand(ics, '2040-01-01T00:00:00Z', '2040-01-04T00:00:00Z')
    expect(starts(occurrences)).toEqual([
      '2040-01-01T09:00:00.000Z',
      '2040-01-02T09:00:00.000Z',
      '2040-01-03T09:00:00.000Z',
    ])
  })
})
