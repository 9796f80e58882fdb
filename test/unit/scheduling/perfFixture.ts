import { normalize, type Interval } from '../../../src/scheduling/intervals.ts'
import type { ComputeSlotsInput, MemberAvailabilityInput } from '../../../src/scheduling/slots.ts'
import { workingIntervals } from '../../../src/scheduling/workingHours.ts'

// The brief's load: a 30-day range, 5 members in different zones, ~4,000 busy intervals each.
export function makePerfInput(seed = 1): ComputeSlotsInput {
  let state = seed
  const rnd = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
  const start = Date.UTC(2026, 2, 16) // spans the EU and US spring-forward dates
  const range: Interval = { start, end: start + 30 * 86_400_000 }
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Pago_Pago']
  const members: MemberAvailabilityInput[] = zones.map((timeZone, i) => {
    const busy: Interval[] = []
    for (let k = 0; k < 4000; k++) {
      const s = range.start + Math.floor((rnd() * (range.end - range.start)) / 60_000) * 60_000
      busy.push({ start: s, end: s + (1 + Math.floor(rnd() * 5)) * 60_000 })
    }
    return {
      memberId: `m${i}`,
      timeZone,
      priority: i % 2,
      working: workingIntervals({
        rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })),
        overrides: [],
        timeZone,
        range: { start: range.start, end: range.end + 86_400_000 },
      }),
      busy: normalize(busy), // the documented input contract; a few random ones touch or overlap
      bookingsPerLocalDay: new Map([['2026-03-20', 3]]),
      recentBookings: i,
    }
  })
  return {
    settings: {
      type: 'SERVICE',
      timeZone: 'Europe/Berlin',
      slotDurationMinutes: 15,
      slotIntervalMinutes: 15,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 0,
      minNoticeMinutes: 60,
      bookingWindowDays: 60,
      maxBookingsPerDayPerMember: 3,
      seatsPerSlot: null,
    },
    members,
    range,
    now: range.start - 86_400_000,
  }
}
