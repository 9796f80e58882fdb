import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { formatInZone, formatWithLuxon, localDayKey, zonedFormatter } from '../../../src/scheduling/zonedTime.ts'
import {
  DAY_MS,
  dayKeyToNaive,
  instantsAtWallTime,
  isValidTimeZone,
  offsetAt,
  offsetSegments,
  wallTimeToInstant,
} from '../../../src/time/zoneOffsets.ts'
import { TRICKY_ZONES } from './zones.ts'

const ZONES = [
  ...TRICKY_ZONES,
  'America/Santiago', // transitions at local midnight
  'Africa/Casablanca', // Ramadan suspension of its +01
  'UTC',
]

describe('formatInZone', () => {
  it('writes the local time with the offset in force at that instant', () => {
    expect(formatInZone(Date.UTC(2026, 2, 29, 7), 'Europe/Berlin')).toBe('2026-03-29T09:00:00+02:00')
    expect(formatInZone(Date.UTC(2026, 2, 28, 8), 'Europe/Berlin')).toBe('2026-03-28T09:00:00+01:00')
    expect(formatInZone(Date.UTC(2026, 0, 1, 3, 30), 'Asia/Kolkata')).toBe('2026-01-01T09:00:00+05:30')
    expect(formatInZone(Date.UTC(2026, 0, 1, 0), 'Pacific/Kiritimati')).toBe('2026-01-01T14:00:00+14:00')
    expect(formatInZone(Date.UTC(2026, 0, 1, 0), 'Pacific/Pago_Pago')).toBe('2025-12-31T13:00:00-11:00')
    expect(formatInZone(Date.UTC(2026, 3, 4, 15), 'Australia/Lord_Howe')).toBe('2026-04-05T01:30:00+10:30')
    expect(formatInZone(Date.UTC(2026, 3, 4, 14, 59), 'Australia/Lord_Howe')).toBe('2026-04-05T01:59:00+11:00')
  })
  it('distinguishes the two occurrences of a repeated hour', () => {
    expect(formatInZone(Date.UTC(2026, 10, 1, 5, 30), 'America/New_York')).toBe('2026-11-01T01:30:00-04:00')
    expect(formatInZone(Date.UTC(2026, 10, 1, 6, 30), 'America/New_York')).toBe('2026-11-01T01:30:00-05:00')
  })
  it('uses +00:00 for UTC, and shows milliseconds only when present', () => {
    expect(formatInZone(Date.UTC(2026, 0, 1, 12), 'UTC')).toBe('2026-01-01T12:00:00+00:00')
    expect(formatInZone(Date.UTC(2026, 0, 1, 12, 0, 0, 250), 'Etc/UTC')).toBe('2026-01-01T12:00:00.250+00:00')
  })
  it('throws on an unknown zone', () => {
    expect(() => formatInZone(0, 'Mars/Olympus_Mons')).toThrow(RangeError)
  })
  it('agrees with luxon on every zone, around every transition and on random instants from 1900 to 2100', () => {
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const instants: number[] = []
    for (let i = 0; i < 200; i++) {
      instants.push(Math.floor(Date.UTC(1900, 0, 1) + random() * (Date.UTC(2100, 0, 1) - Date.UTC(1900, 0, 1))))
    }
    for (const zone of ZONES) {
      const transitions = offsetSegments(zone, Date.UTC(2024, 0, 1), Date.UTC(2028, 0, 1)).map((s) => s.start)
      for (const t of [...instants, ...transitions.flatMap((t) => [t - 1, t, t + 1, t - 1000, t + 999])]) {
        expect(formatInZone(t, zone)).toBe(formatWithLuxon(t, zone))
        expect(localDayKey(t, zone)).toBe(DateTime.fromMillis(t, { zone }).toISODate())
      }
    }
  })
  it('falls back to luxon for years outside 1000-9999', () => {
    const t = Date.UTC(999, 11, 31, 23)
    expect(formatInZone(t, 'Europe/Berlin')).toBe(formatWithLuxon(t, 'Europe/Berlin'))
    expect(localDayKey(t, 'Europe/Berlin')).toBe(DateTime.fromMillis(t, { zone: 'Europe/Berlin' }).toISODate())
  })
})

describe('zonedFormatter', () => {
  it('writes what formatInZone writes, for instants in order (as slots come) and out of order', () => {
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const random1900to2100 = Array.from({ length: 300 }, () =>
      Math.floor(Date.UTC(1900, 0, 1) + random() * (Date.UTC(2100, 0, 1) - Date.UTC(1900, 0, 1))),
    )
    const wholeSeconds = random1900to2100.map((t) => t - (t % 1000))
    for (const zone of ZONES) {
      const transitions = offsetSegments(zone, Date.UTC(2024, 0, 1), Date.UTC(2028, 0, 1)).map((s) => s.start)
      const aroundTransitions = transitions.flatMap((t) => [t - 3_600_000, t - 1000, t, t + 1000, t + 1800_000])
      const everyHalfHour = Array.from({ length: 2000 }, (_, i) => Date.UTC(2026, 2, 1) + i * 1800_000)
      for (const instants of [
        [...everyHalfHour, ...aroundTransitions].sort((a, b) => a - b),
        [...wholeSeconds, ...random1900to2100, ...aroundTransitions, Date.UTC(999, 11, 31, 23)],
      ]) {
        const format = zonedFormatter(zone)
        for (const t of instants) expect(format(t)).toBe(formatInZone(t, zone))
      }
    }
  })
})

describe('localDayKey', () => {
  it('is the local date, which differs from the UTC date far east and west', () => {
    const t = Date.UTC(2026, 5, 15, 12) // 12:00Z
    expect(localDayKey(t, 'UTC')).toBe('2026-06-15')
    expect(localDayKey(t, 'Pacific/Kiritimati')).toBe('2026-06-16') // 02:00 next day
    expect(localDayKey(Date.UTC(2026, 5, 15, 10), 'Pacific/Pago_Pago')).toBe('2026-06-14') // 23:00 previous day
    expect(localDayKey(Date.UTC(2026, 5, 15, 18, 29), 'Asia/Kolkata')).toBe('2026-06-15')
    expect(localDayKey(Date.UTC(2026, 5, 15, 18, 30), 'Asia/Kolkata')).toBe('2026-06-16')
  })
  it('throws on an unknown zone', () => {
    expect(() => localDayKey(0, 'Nowhere/Special')).toThrow(RangeError)
  })
})

describe('isValidTimeZone', () => {
  it('accepts IANA names and rejects junk', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true)
    expect(isValidTimeZone('Australia/Lord_Howe')).toBe(true)
    expect(isValidTimeZone('UTC')).toBe(true)
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(isValidTimeZone('')).toBe(false)
    expect(isValidTimeZone(undefined)).toBe(false)
    expect(isValidTimeZone(42)).toBe(false)
  })
})

describe('offset timeline', () => {
  it('matches luxon hourly across 2025–2026 and at each side of every transition, far east/west and half-hour DST', () => {
    const luxonOffset = (t: number, zone: string) => DateTime.fromMillis(t, { zone }).offset * 60_000
    for (const zone of ZONES) {
      const from = Date.UTC(2025, 0, 1)
      const to = Date.UTC(2027, 0, 1)
      const segments = offsetSegments(zone, from, to)
      const probes: number[] = []
      for (let t = from; t < to; t += 3_600_000) probes.push(t)
      for (const seg of segments) probes.push(seg.start, seg.start - 1, seg.end - 1)
      for (const t of probes.filter((p) => p >= from && p < to)) {
        const expected = luxonOffset(t, zone)
        if (offsetAt(segments, t) !== expected) {
          throw new Error(`${zone} ${new Date(t).toISOString()}: ${offsetAt(segments, t)} != ${expected}`)
        }
      }
    }
  })

  it('pinpoints transitions to the second', () => {
    const segs = offsetSegments('America/New_York', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))
    expect(segs.map((s) => [new Date(s.start).toISOString(), s.offsetMs / 3_600_000])).toEqual([
      ['2026-01-01T00:00:00.000Z', -5],
      ['2026-03-08T07:00:00.000Z', -4],
      ['2026-11-01T06:00:00.000Z', -5],
    ])
    const lhi = offsetSegments('Australia/Lord_Howe', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))
    expect(lhi.map((s) => [new Date(s.start).toISOString(), s.offsetMs / 3_600_000])).toEqual([
      ['2026-01-01T00:00:00.000Z', 11],
      ['2026-04-04T15:00:00.000Z', 10.5],
      ['2026-10-03T15:30:00.000Z', 11],
    ])
  })

  it('merges segments across the UTC year boundary', () => {
    const segs = offsetSegments('Asia/Kolkata', Date.UTC(2025, 11, 30), Date.UTC(2026, 0, 2))
    expect(segs).toHaveLength(1)
    expect(segs[0]!.offsetMs).toBe(5.5 * 3_600_000)
  })

  it('throws outside the computed segments rather than guessing', () => {
    const segs = offsetSegments('UTC', Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2))
    expect(() => offsetAt(segs, Date.UTC(2030, 0, 1))).toThrow(RangeError)
  })

  it('throws on unknown zones', () => {
    expect(() => offsetSegments('Mars/Olympus_Mons', 0, 1)).toThrow(RangeError)
  })
})

describe('wall time resolution', () => {
  const ny = offsetSegments('America/New_York', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))
  const naive = (d: string, hh: number, mm: number) => dayKeyToNaive(d) + (hh * 60 + mm) * 60_000

  it('finds no instant in a spring-forward gap, and two in a fall-back overlap', () => {
    expect(instantsAtWallTime(ny, naive('2026-03-08', 2, 30))).toEqual([])
    expect(instantsAtWallTime(ny, naive('2026-11-01', 1, 30))).toEqual([
      Date.UTC(2026, 10, 1, 5, 30),
      Date.UTC(2026, 10, 1, 6, 30),
    ])
    expect(instantsAtWallTime(ny, naive('2026-11-01', 2, 0))).toEqual([Date.UTC(2026, 10, 1, 7)])
  })

  it('moves a nonexistent time forward by the gap and takes the first of a repeated time (RFC 5545 §3.3.5)', () => {
    expect(wallTimeToInstant(ny, naive('2026-03-08', 2, 30))).toBe(Date.UTC(2026, 2, 8, 7, 30)) // 03:30 EDT
    expect(wallTimeToInstant(ny, naive('2026-11-01', 1, 30))).toBe(Date.UTC(2026, 10, 1, 5, 30)) // 01:30 EDT
  })

  // Reference built from luxon formatting alone: every instant near luxon's answer whose local wall time is the one
  // asked for; the first of them, or luxon's own gap handling when there is none. (luxon's fromObject itself picks
  // the later occurrence of a repeated time in zones east of UTC, so it cannot be the reference as is.)
  const reference = (zone: string, date: { year: number; month: number; day: number }, minute: number) => {
    const obj = { ...date, hour: Math.floor(minute / 60), minute: minute % 60 }
    const guess = DateTime.fromObject(obj, { zone }).toMillis()
    const want = DateTime.fromObject(obj, { zone: 'UTC' }).toFormat('yyyy-MM-dd HH:mm')
    const matches: number[] = []
    for (let k = -4; k <= 4; k++) {
      const t = guess + k * 15 * 60_000
      if (DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm') === want) matches.push(t)
    }
    return matches.length > 0 ? Math.min(...matches) : guess
  }

  it('agrees with the reference for every quarter hour of the DST days of every test zone', () => {
    for (const zone of ZONES) {
      const segs = offsetSegments(zone, Date.UTC(2025, 11, 1), Date.UTC(2027, 1, 1))
      for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += DAY_MS) {
        // Only days where the offset changes (plus every 60th day), to keep the test quick.
        const d0 = DateTime.fromMillis(day, { zone: 'UTC' })
        const date = { year: d0.year, month: d0.month, day: d0.day }
        const startOff = DateTime.fromObject(date, { zone }).offset
        const endOff = DateTime.fromObject({ ...date, hour: 23, minute: 59 }, { zone }).offset
        if (startOff === endOff && d0.ordinal % 60 !== 0) continue
        for (let m = 0; m < 1440; m += 15) {
          expect(wallTimeToInstant(segs, day + m * 60_000), `${zone} ${d0.toISODate()} +${m}min`).toBe(
            reference(zone, date, m),
          )
        }
      }
    }
  })

  it('takes the first occurrence east of UTC too (Berlin 02:30 on fall-back day is 02:30+02:00)', () => {
    const berlin = offsetSegments('Europe/Berlin', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))
    expect(wallTimeToInstant(berlin, naive('2026-10-25', 2, 30))).toBe(Date.UTC(2026, 9, 25, 0, 30))
    expect(instantsAtWallTime(berlin, naive('2026-10-25', 2, 30))).toEqual([
      Date.UTC(2026, 9, 25, 0, 30),
      Date.UTC(2026, 9, 25, 1, 30),
    ])
  })
})

describe('dayKeyToNaive', () => {
  it('parses real dates and rejects malformed or impossible ones', () => {
    expect(dayKeyToNaive('2026-02-28')).toBe(Date.UTC(2026, 1, 28))
    expect(() => dayKeyToNaive('2026-02-30')).toThrow(RangeError)
    expect(() => dayKeyToNaive('2026-2-3')).toThrow(RangeError)
    expect(() => dayKeyToNaive('2026-02-03T00:00')).toThrow(RangeError)
  })
})

describe('offsetSegments finds the shortest stretches between transitions', () => {
  it.each([
    ['America/Boa_Vista', Date.UTC(2000, 9, 1), Date.UTC(2000, 9, 8, 4)],
    ['Asia/Gaza', Date.UTC(2040, 9, 1), Date.UTC(2040, 9, 20)],
  ])('%s: the week-long stretch is its own segment', (zone, from, stretchStart) => {
    const runtime = DateTime.fromMillis(stretchStart + 3_600_000, { zone })
    const segment = offsetSegments(zone, from, from + 60 * DAY_MS).find((s) => s.start === stretchStart)
    expect(segment).toBeDefined()
    expect(segment!.end - segment!.start).toBeLessThan(7 * DAY_MS)
    expect(segment!.offsetMs).toBe(runtime.offset * 60_000)
  })
})
