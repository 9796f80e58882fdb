import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { foldLine, refold } from '../../../src/caldav/ical/lines.ts'
import { zoneForName, zoneFromVtimezone } from '../../../src/caldav/ical/timezones.ts'
import { fixture } from './fixtures.ts'

// Offset in hours of a zone at a wall-clock time, through ical.js (which is what expansion uses).
function offsetHours(zone: ICAL.Timezone, wall: string): number {
  const [date, time] = wall.split('T') as [string, string]
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const [hour, minute] = time.split(':').map(Number) as [number, number]
  return zone.utcOffset(new ICAL.Time({ year, month, day, hour, minute, second: 0 }, zone)) / 3600
}

describe('zoneForName', () => {
  it('resolves IANA names and aliases from the bundled tz data', () => {
    const berlin = zoneForName('Europe/Berlin')!
    expect(offsetHours(berlin, '2025-01-15T12:00')).toBe(1)
    expect(offsetHours(berlin, '2025-07-15T12:00')).toBe(2)
    expect(offsetHours(zoneForName('US/Pacific')!, '2025-07-15T12:00')).toBe(-7)
    expect(offsetHours(zoneForName('Asia/Calcutta')!, '2025-07-15T12:00')).toBe(5.5)
  })

  it('maps Windows zone names through CLDR', () => {
    expect(offsetHours(zoneForName('W. Europe Standard Time')!, '2025-07-15T12:00')).toBe(2)
    expect(offsetHours(zoneForName('Pacific Standard Time')!, '2025-01-15T12:00')).toBe(-8)
    expect(offsetHours(zoneForName('Tokyo Standard Time')!, '2025-01-15T12:00')).toBe(9)
  })

  it('strips libical/Lightning prefixes and reads "(UTC±hh:mm)" labels as fixed offsets', () => {
    expect(offsetHours(zoneForName('/mozilla.org/20050126_1/Europe/Vienna')!, '2025-07-15T12:00')).toBe(2)
    expect(
      offsetHours(
        zoneForName('/freeassociation.sourceforge.net/Tzfile/America/Argentina/Buenos_Aires')!,
        '2025-07-15T12:00',
      ),
    ).toBe(-3)
    expect(offsetHours(zoneForName('(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi')!, '2025-07-15T12:00')).toBe(5.5)
    expect(offsetHours(zoneForName('(UTC-03:00) Brasilia')!, '2025-07-15T12:00')).toBe(-3)
  })

  it('answers UTC for UTC-like names and null for unknown ones (cached)', () => {
    expect(zoneForName('UTC')).toBe(ICAL.Timezone.utcTimezone)
    expect(zoneForName('Etc/GMT')).toBe(ICAL.Timezone.utcTimezone)
    expect(zoneForName('Nowhere/Special')).toBeNull()
    expect(zoneForName('Nowhere/Special')).toBeNull()
    expect(zoneForName('Europe/Berlin')).toBe(zoneForName('Europe/Berlin'))
  })
})

describe('zoneFromVtimezone', () => {
  const vtimezoneOf = (ics: string) =>
    new ICAL.Component(ICAL.parse(ics) as unknown[]).getFirstSubcomponent('vtimezone')!

  it('reuses one parsed zone for identical definitions across resources', () => {
    const a = zoneFromVtimezone(vtimezoneOf(fixture('icloud-weekly-jour-fixe.ics')))
    const b = zoneFromVtimezone(vtimezoneOf(fixture('icloud-travel-time.ics')))
    expect(a).not.toBeNull()
    expect(b).toBe(a)
  })

  it('keeps different definitions of one TZID apart', () => {
    const real = zoneFromVtimezone(vtimezoneOf(fixture('icloud-weekly-jour-fixe.ics')))!
    const bogus = fixture('icloud-weekly-jour-fixe.ics').replaceAll('TZOFFSETTO:+0200', 'TZOFFSETTO:+0300')
    const other = zoneFromVtimezone(vtimezoneOf(bogus))!
    expect(other).not.toBe(real)
    expect(offsetHours(real, '2025-07-15T12:00')).toBe(2)
    expect(offsetHours(other, '2025-07-15T12:00')).toBe(3)
  })

  it('ignores a VTIMEZONE without rules', () => {
    const empty = 'BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n'
    expect(zoneFromVtimezone(vtimezoneOf(empty))).toBeNull()
  })
})

describe('line folding', () => {
  const octets = (s: string) => Buffer.byteLength(s)

  it('folds at 75 octets with a leading space and unfolds to the original', () => {
    const line = `DESCRIPTION:${'x'.repeat(200)}`
    const folded = foldLine(line)
    const parts = folded.split('\r\n')
    expect(parts.length).toBe(3)
    expect(parts.every((p) => octets(p) <= 75)).toBe(true)
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true)
    expect(folded.replace(/\r\n /g, '')).toBe(line)
  })

  it('never splits a multi-byte character', () => {
    const line = `SUMMARY:${'Grüße 👋 Straße €'.repeat(12)}`
    const parts = foldLine(line).split('\r\n')
    expect(parts.every((p) => octets(p) <= 75)).toBe(true)
    for (const p of parts) expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p)
    expect(parts.some((p) => p.includes('\uFFFD'))).toBe(false)
    expect(foldLine(line).replace(/\r\n /g, '')).toBe(line)
  })

  it('re-folds text to CRLF with a final CRLF', () => {
    expect(refold('BEGIN:VCALENDAR\nEND:VCALENDAR')).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n')
  })
})
