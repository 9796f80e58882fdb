import { describe, expect, it } from 'vitest'
import type { Interval } from '../../../src/scheduling/intervals.ts'
import { workingIntervals, type WorkingHoursRule } from '../../../src/scheduling/workingHours.ts'
import { formatInZone } from '../../../src/scheduling/zonedTime.ts'

const H = 3_600_000
const t = (iso: string) => {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new Error(`bad test date ${iso}`)
  return ms
}
const range = (from: string, to: string): Interval => ({ start: t(from), end: t(to) })
const rule = (weekday: number, from: string, to: string): WorkingHoursRule => ({
  weekday,
  startMinute: minutes(from),
  endMinute: minutes(to),
})
function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return h! * 60 + m!
}
const local = (list: Interval[], zone: string) =>
  list.map((i) => [formatInZone(i.start, zone), formatInZone(i.end, zone)])
const hours = (list: Interval[]) => list.map((i) => (i.end - i.start) / H)
const weekdays = (from: string, to: string) => [1, 2, 3, 4, 5].map((d) => rule(d, from, to))

describe('workingIntervals: weekly rules', () => {
  it('maps Mon–Fri 09:00–17:00 Berlin to UTC on both sides of spring forward', () => {
    const out = workingIntervals({
      rules: weekdays('09:00', '17:00'),
      overrides: [],
      timeZone: 'Europe/Berlin',
      range: range('2026-03-26T00:00:00Z', '2026-04-01T00:00:00Z'),
    })
    expect(local(out, 'Europe/Berlin')).toEqual([
      ['2026-03-26T09:00:00+01:00', '2026-03-26T17:00:00+01:00'],
      ['2026-03-27T09:00:00+01:00', '2026-03-27T17:00:00+01:00'],
      ['2026-03-30T09:00:00+02:00', '2026-03-30T17:00:00+02:00'],
      ['2026-03-31T09:00:00+02:00', '2026-03-31T17:00:00+02:00'],
    ])
    expect(out[0]!.start).toBe(t('2026-03-26T08:00:00Z'))
    expect(out[2]!.start).toBe(t('2026-03-30T07:00:00Z'))
    expect(hours(out)).toEqual([8, 8, 8, 8])
  })

  it('splits, merges touching rules, and joins an overnight shift written as two days', () => {
    const out = workingIntervals({
      rules: [
        rule(1, '09:00', '12:00'),
        rule(1, '13:00', '15:00'),
        rule(1, '15:00', '17:00'),
        rule(1, '22:00', '24:00'),
        rule(2, '00:00', '06:00'),
      ],
      overrides: [],
      timeZone: 'UTC',
      range: range('2026-06-15T00:00:00Z', '2026-06-17T00:00:00Z'),
    })
    expect(local(out, 'UTC')).toEqual([
      ['2026-06-15T09:00:00+00:00', '2026-06-15T12:00:00+00:00'],
      ['2026-06-15T13:00:00+00:00', '2026-06-15T17:00:00+00:00'],
      ['2026-06-15T22:00:00+00:00', '2026-06-16T06:00:00+00:00'],
    ])
  })

  it('clips to the range, keeping partial intervals', () => {
    const out = workingIntervals({
      rules: weekdays('09:00', '17:00'),
      overrides: [],
      timeZone: 'UTC',
      range: range('2026-06-15T12:00:00Z', '2026-06-16T10:00:00Z'),
    })
    expect(local(out, 'UTC')).toEqual([
      ['2026-06-15T12:00:00+00:00', '2026-06-15T17:00:00+00:00'],
      ['2026-06-16T09:00:00+00:00', '2026-06-16T10:00:00+00:00'],
    ])
  })

  it('returns nothing for an empty range or no rules', () => {
    const base = { rules: weekdays('09:00', '17:00'), overrides: [], timeZone: 'UTC' }
    expect(workingIntervals({ ...base, range: range('2026-06-15T12:00:00Z', '2026-06-15T12:00:00Z') })).toEqual([])
    expect(
      workingIntervals({ ...base, rules: [], range: range('2026-06-15T00:00:00Z', '2026-06-22T00:00:00Z') }),
    ).toEqual([])
    // Weekend only.
    expect(workingIntervals({ ...base, range: range('2026-06-20T00:00:00Z', '2026-06-22T00:00:00Z') })).toEqual([])
  })
})

describe('workingIntervals: DST days', () => {
  const sunday = (zone: string, r: WorkingHoursRule[], from: string, to: string) =>
    workingIntervals({ rules: r, overrides: [], timeZone: zone, range: range(from, to) })

  it('Europe/Berlin spring forward (2026-03-29): whole day 23 h, 01:00–09:00 is 7 h, 09:00–17:00 still 8 h', () => {
    const win = ['2026-03-28T12:00:00Z', '2026-03-30T00:00:00Z'] as const
    expect(hours(sunday('Europe/Berlin', [rule(7, '00:00', '24:00')], ...win))).toEqual([23])
    const night = sunday('Europe/Berlin', [rule(7, '01:00', '09:00')], ...win)
    expect(local(night, 'Europe/Berlin')).toEqual([['2026-03-29T01:00:00+01:00', '2026-03-29T09:00:00+02:00']])
    expect(hours(night)).toEqual([7])
    const day = sunday('Europe/Berlin', [rule(7, '09:00', '17:00')], ...win)
    expect(local(day, 'Europe/Berlin')).toEqual([['2026-03-29T09:00:00+02:00', '2026-03-29T17:00:00+02:00']])
  })

  it('Europe/Berlin fall back (2026-10-25): whole day 25 h, 01:00–09:00 is 9 h', () => {
    const win = ['2026-10-24T12:00:00Z', '2026-10-26T00:00:00Z'] as const
    expect(hours(sunday('Europe/Berlin', [rule(7, '00:00', '24:00')], ...win))).toEqual([25])
    const night = sunday('Europe/Berlin', [rule(7, '01:00', '09:00')], ...win)
    expect(local(night, 'Europe/Berlin')).toEqual([['2026-10-25T01:00:00+02:00', '2026-10-25T09:00:00+01:00']])
    expect(hours(night)).toEqual([9])
  })

  it('America/New_York spring forward (2026-03-08): edges in the gap move to 03:00; a span inside the gap is empty', () => {
    const win = ['2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z'] as const
    expect(hours(sunday('America/New_York', [rule(7, '01:00', '09:00')], ...win))).toEqual([7])
    expect(local(sunday('America/New_York', [rule(7, '02:30', '04:00')], ...win), 'America/New_York')).toEqual([
      ['2026-03-08T03:00:00-04:00', '2026-03-08T04:00:00-04:00'],
    ])
    expect(local(sunday('America/New_York', [rule(7, '00:00', '02:30')], ...win), 'America/New_York')).toEqual([
      ['2026-03-08T00:00:00-05:00', '2026-03-08T03:00:00-04:00'],
    ])
    expect(sunday('America/New_York', [rule(7, '02:00', '02:45')], ...win)).toEqual([])
  })

  it('America/New_York fall back (2026-11-01): 01:00–09:00 is 9 h; 01:30–02:00 covers the repeated half hours', () => {
    const win = ['2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z'] as const
    expect(hours(sunday('America/New_York', [rule(7, '01:00', '09:00')], ...win))).toEqual([9])
    const repeated = sunday('America/New_York', [rule(7, '01:30', '02:00')], ...win)
    expect(local(repeated, 'America/New_York')).toEqual([['2026-11-01T01:30:00-04:00', '2026-11-01T02:00:00-05:00']])
    expect(hours(repeated)).toEqual([1.5])
  })

  it('Australia/Lord_Howe half-hour DST: 24.5 h on 2026-04-05, 23.5 h on 2026-10-04', () => {
    const z = 'Australia/Lord_Howe'
    expect(hours(sunday(z, [rule(7, '00:00', '24:00')], '2026-04-03T00:00:00Z', '2026-04-06T00:00:00Z'))).toEqual([
      24.5,
    ])
    const back = sunday(z, [rule(7, '01:00', '03:00')], '2026-04-03T00:00:00Z', '2026-04-06T00:00:00Z')
    expect(local(back, z)).toEqual([['2026-04-05T01:00:00+11:00', '2026-04-05T03:00:00+10:30']])
    expect(hours(back)).toEqual([2.5])
    expect(hours(sunday(z, [rule(7, '00:00', '24:00')], '2026-10-02T00:00:00Z', '2026-10-05T00:00:00Z'))).toEqual([
      23.5,
    ])
    // 02:00–02:30 does not exist that day.
    expect(sunday(z, [rule(7, '02:10', '02:20')], '2026-10-02T00:00:00Z', '2026-10-05T00:00:00Z')).toEqual([])
    expect(local(sunday(z, [rule(7, '02:15', '03:00')], '2026-10-02T00:00:00Z', '2026-10-05T00:00:00Z'), z)).toEqual([
      ['2026-10-04T02:30:00+11:00', '2026-10-04T03:00:00+11:00'],
    ])
  })
})

describe('workingIntervals: zones far from UTC', () => {
  it('Pacific/Kiritimati (+14): Monday 09:00 local is Sunday 19:00Z, found from a Sunday-only UTC range', () => {
    const out = workingIntervals({
      rules: [rule(1, '09:00', '17:00')],
      overrides: [],
      timeZone: 'Pacific/Kiritimati',
      range: range('2026-06-14T00:00:00Z', '2026-06-15T00:00:00Z'),
    })
    expect(out).toEqual([{ start: t('2026-06-14T19:00:00Z'), end: t('2026-06-15T00:00:00Z') }])
    expect(formatInZone(out[0]!.start, 'Pacific/Kiritimati')).toBe('2026-06-15T09:00:00+14:00')
  })

  it('Pacific/Pago_Pago (−11): Friday 20:00–24:00 local lies on Saturday UTC', () => {
    const out = workingIntervals({
      rules: [rule(5, '20:00', '24:00')],
      overrides: [],
      timeZone: 'Pacific/Pago_Pago',
      range: range('2026-06-20T00:00:00Z', '2026-06-21T00:00:00Z'),
    })
    expect(out).toEqual([{ start: t('2026-06-20T07:00:00Z'), end: t('2026-06-20T11:00:00Z') }])
  })

  it('Asia/Kolkata (+05:30): half-hour offset', () => {
    const out = workingIntervals({
      rules: [rule(3, '09:00', '17:30')],
      overrides: [],
      timeZone: 'Asia/Kolkata',
      range: range('2026-06-17T00:00:00Z', '2026-06-18T00:00:00Z'),
    })
    expect(out).toEqual([{ start: t('2026-06-17T03:30:00Z'), end: t('2026-06-17T12:00:00Z') }])
  })

  it('crosses a UTC year boundary far east', () => {
    const out = workingIntervals({
      rules: [1, 2, 3, 4, 5, 6, 7].map((d) => rule(d, '09:00', '10:00')),
      overrides: [],
      timeZone: 'Pacific/Kiritimati',
      range: range('2026-12-31T00:00:00Z', '2027-01-01T00:00:00Z'),
    })
    expect(local(out, 'Pacific/Kiritimati')).toEqual([['2027-01-01T09:00:00+14:00', '2027-01-01T10:00:00+14:00']])
  })
})

describe('workingIntervals: date overrides', () => {
  const base = { rules: weekdays('09:00', '17:00'), timeZone: 'Europe/Berlin' }
  const week = range('2026-06-15T00:00:00+02:00', '2026-06-22T00:00:00+02:00')

  it('an empty override closes that day, other days keep their rules', () => {
    const out = workingIntervals({ ...base, overrides: [{ date: '2026-06-17', intervals: [] }], range: week })
    expect(local(out, 'Europe/Berlin').map(([s]) => s!.slice(0, 10))).toEqual([
      '2026-06-15',
      '2026-06-16',
      '2026-06-18',
      '2026-06-19',
    ])
  })

  it('an override replaces the weekly rules rather than adding to them', () => {
    const out = workingIntervals({
      ...base,
      overrides: [{ date: '2026-06-16', intervals: [{ startMinute: 14 * 60, endMinute: 20 * 60 }] }],
      range: range('2026-06-16T00:00:00+02:00', '2026-06-17T00:00:00+02:00'),
    })
    expect(local(out, 'Europe/Berlin')).toEqual([['2026-06-16T14:00:00+02:00', '2026-06-16T20:00:00+02:00']])
  })

  it('an override opens a day without weekly rules, and duplicate dates are unioned', () => {
    const out = workingIntervals({
      ...base,
      overrides: [
        { date: '2026-06-20', intervals: [{ startMinute: 600, endMinute: 660 }] },
        { date: '2026-06-20', intervals: [{ startMinute: 720, endMinute: 780 }] },
      ],
      range: week,
    })
    expect(local(out, 'Europe/Berlin').filter(([s]) => s!.startsWith('2026-06-20'))).toEqual([
      ['2026-06-20T10:00:00+02:00', '2026-06-20T11:00:00+02:00'],
      ['2026-06-20T12:00:00+02:00', '2026-06-20T13:00:00+02:00'],
    ])
  })

  it('override dates are local dates: a Kiritimati override for Monday hits Sunday UTC', () => {
    const out = workingIntervals({
      rules: [rule(1, '09:00', '17:00')],
      overrides: [{ date: '2026-06-15', intervals: [] }],
      timeZone: 'Pacific/Kiritimati',
      range: range('2026-06-14T00:00:00Z', '2026-06-16T00:00:00Z'),
    })
    expect(out).toEqual([])
  })
})

describe('workingIntervals: validation', () => {
  const base = { overrides: [], timeZone: 'UTC', range: range('2026-06-15T00:00:00Z', '2026-06-16T00:00:00Z') }
  it('rejects bad weekdays and spans', () => {
    expect(() => workingIntervals({ ...base, rules: [{ weekday: 0, startMinute: 0, endMinute: 60 }] })).toThrow(
      RangeError,
    )
    expect(() => workingIntervals({ ...base, rules: [{ weekday: 8, startMinute: 0, endMinute: 60 }] })).toThrow(
      RangeError,
    )
    expect(() => workingIntervals({ ...base, rules: [{ weekday: 1, startMinute: 60, endMinute: 60 }] })).toThrow(
      RangeError,
    )
    expect(() => workingIntervals({ ...base, rules: [{ weekday: 1, startMinute: 0, endMinute: 1441 }] })).toThrow(
      RangeError,
    )
    expect(() => workingIntervals({ ...base, rules: [{ weekday: 1, startMinute: -1, endMinute: 60 }] })).toThrow(
      RangeError,
    )
    expect(() => workingIntervals({ ...base, rules: [{ weekday: 1, startMinute: 0.5, endMinute: 60 }] })).toThrow(
      RangeError,
    )
  })
  it('rejects malformed override dates and spans', () => {
    expect(() => workingIntervals({ ...base, rules: [], overrides: [{ date: '2026-02-30', intervals: [] }] })).toThrow(
      RangeError,
    )
    expect(() =>
      workingIntervals({
        ...base,
        rules: [],
        overrides: [{ date: '2026-06-15', intervals: [{ startMinute: 5, endMinute: 1 }] }],
      }),
    ).toThrow(RangeError)
  })
  it('rejects unknown zones', () => {
    expect(() => workingIntervals({ ...base, rules: [rule(1, '09:00', '10:00')], timeZone: 'Mars/Base' })).toThrow(
      RangeError,
    )
  })
})
