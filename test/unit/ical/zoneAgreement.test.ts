// One time-zone truth: the iCalendar module (expansion and the VTIMEZONE written back) and availability (working
// hours, formatting) read named zones from the same tz database, so a floating 10:00 is the same instant in both.
import { IANAZone } from 'luxon'
import { describe, expect, it } from 'vitest'
import { expandCalendarResource } from '../../../src/caldav/ical/index.ts'
import { localToUtcMs, offsetAtUtc } from '../../../src/caldav/ical/time.ts'
import { vtimezoneFromTransitions, zoneForName, zoneFromVtimezone } from '../../../src/caldav/ical/timezones.ts'
import { offsetAtInstant, offsetSegments, wallTimeToInstant } from '../../../src/time/zoneOffsets.ts'

const FROM = Date.UTC(2000, 0, 1)
const TO = Date.UTC(2041, 0, 1)
const HOUR_MS = 3_600_000

/** Instants around every transition of a zone, and one in the middle of each stretch between them. */
function probes(name: string): number[] {
  return offsetSegments(name, FROM, TO).flatMap((s) => [s.start, s.start + HOUR_MS, (s.start + s.end) / 2, s.end - 1])
}

describe(
  'one time-zone truth for every zone of Intl.supportedValuesOf("timeZone"), 2000–2040',
  { timeout: 240_000 },
  () => {
    const zones = Intl.supportedValuesOf('timeZone')

    it('the iCalendar module reads the offsets availability uses, and the runtime reports', () => {
      const mismatches: string[] = []
      for (const name of zones) {
        const zone = zoneForName(name)!
        const runtime = IANAZone.create(name)
        for (const t of probes(name)) {
          const expected = Math.round(runtime.offset(t) * 60_000)
          if (offsetAtUtc(zone, t) !== expected || offsetAtInstant(name, t) !== expected) {
            mismatches.push(`${name} ${new Date(t).toISOString()}`)
          }
        }
        // A wall time (floating event) is the same instant for the iCalendar module and for working hours.
        for (const naive of [Date.UTC(2026, 2, 20, 10), Date.UTC(2026, 6, 1, 10), Date.UTC(2027, 9, 31, 1, 30)]) {
          const segments = offsetSegments(name, naive - 2 * 86_400_000, naive + 2 * 86_400_000)
          if (localToUtcMs(naive, zone) !== wallTimeToInstant(segments, naive)) {
            mismatches.push(`${name} wall ${new Date(naive).toISOString()}`)
          }
        }
      }
      expect(mismatches).toEqual([])
    })

    it('the VTIMEZONE written back spells out the same transitions', () => {
      const mismatches: string[] = []
      for (const name of zones) {
        for (const year of [2000, 2010, 2020, 2030]) {
          const written = zoneFromVtimezone(vtimezoneFromTransitions(name, new Date(Date.UTC(year, 5, 1))))
          if (!written) {
            mismatches.push(`${name} ${year}: no zone`)
            continue
          }
          const covered = offsetSegments(name, Date.UTC(year, 0, 1), Date.UTC(year + 10, 0, 1))
          for (const s of covered) {
            for (const t of [s.start, (s.start + s.end) / 2, s.end - 1]) {
              if (t < Date.UTC(year, 0, 1) || t >= Date.UTC(year + 10, 0, 1)) continue
              if (offsetAtUtc(written, t) !== s.offsetMs) mismatches.push(`${name} ${new Date(t).toISOString()}`)
            }
          }
        }
      }
      expect(mismatches).toEqual([])
    })
  },
)

describe('zones whose rules changed (where a bundled tz data set disagreed with ICU)', () => {
  const floatingTen = (day: string) =>
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:floating',
      'DTSTAMP:20250101T000000Z',
      `DTSTART:${day.replaceAll('-', '')}T100000`,
      `DTEND:${day.replaceAll('-', '')}T110000`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n')

  it.each([
    ['Africa/Casablanca', '2026-03-02'],
    ['America/Vancouver', '2026-12-01'],
    ['Europe/Chisinau', '2025-07-01'],
    ['Asia/Gaza', '2027-04-10'],
  ])('a floating 10:00 in %s on %s blocks the instant availability calls 10:00', (zone, day) => {
    const [occurrence] = expandCalendarResource(floatingTen(day), {
      windowStart: new Date(`${day}T00:00:00Z`),
      windowEnd: new Date(Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000),
      defaultTimeZone: zone,
      ownerEmails: [],
    }).occurrences
    const naive = Date.parse(`${day}T10:00:00Z`)
    const segments = offsetSegments(zone, naive - 2 * 86_400_000, naive + 2 * 86_400_000)
    expect(occurrence!.start.getTime()).toBe(wallTimeToInstant(segments, naive))
  })
})
