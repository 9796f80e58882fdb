import { isNormalized, normalize, type Interval } from './intervals.ts'
import {
  DAY_MS,
  MINUTE_MS,
  instantsAtWallTime,
  naiveToDayKey,
  offsetSegments,
  segmentIndexAt,
  type OffsetSegment,
} from '../time/zoneOffsets.ts'

export { pickRoundRobinMember } from './roundRobin.ts'

export type CrmCalendarType = 'SERVICE' | 'ROUND_ROBIN' | 'COLLECTIVE' | 'CLASS_BOOKING'

export interface CalendarSettings {
  type: CrmCalendarType
  timeZone: string // slot starts sit on multiples of slotIntervalMinutes from local midnight in this zone
  slotDurationMinutes: number
  slotIntervalMinutes: number
  bufferBeforeMinutes: number
  bufferAfterMinutes: number
  minNoticeMinutes: number
  bookingWindowDays: number
  maxBookingsPerDayPerMember: number | null // per member per local day (member's zone)
  seatsPerSlot: number | null // CLASS_BOOKING capacity
}

export interface MemberAvailabilityInput {
  memberId: string
  timeZone: string
  priority: number // higher = preferred in round robin
  working: Interval[] // from workingIntervals(); must cover [range.start, range.end + slot duration)
  busy: Interval[] // raw busy times (blocked slots + appointments), no buffers; CLASS_BOOKING: without this class's own bookings
  bookingsPerLocalDay: Map<string, number> // YYYY-MM-DD in the member's zone -> bookings counted against the cap
  recentBookings: number // round-robin balancing
}

export interface ComputeSlotsInput {
  settings: CalendarSettings
  members: MemberAvailabilityInput[]
  range: Interval // slots whose START lies in the range are returned
  now: number
  classSeatsTaken?: Map<number, number> // CLASS_BOOKING: slot start ms -> seats already booked
}

export interface Slot {
  start: number
  end: number
  freeMemberIds: string[]
  seatsLeft: number | null
}

/**
 * Bookable slots of a CRM calendar, sorted by start. Pure; the availability query and the subscription share it.
 *
 * A member is free for [s, e) when [s, e) lies inside one working interval, [s - bufferBefore, e + bufferAfter)
 * overlaps none of their busy intervals (touching is fine), and their bookings that local day are below the cap.
 * Starts are on the calendar's wall-clock grid; a grid time skipped by spring-forward has no slot, one repeated by
 * fall-back has a slot at each occurrence. Runs in O(slots × members + Σ busy + Σ working).
 */
export function computeSlots(input: ComputeSlotsInput): Slot[] {
  const { settings, members, range, now } = input
  assertSettings(settings)
  if (members.length === 0) return []

  const from = Math.max(range.start, now + settings.minNoticeMinutes * MINUTE_MS)
  const to = Math.min(range.end, now + settings.bookingWindowDays * DAY_MS)
  if (!(from < to)) return []

  const starts = gridStarts(settings.timeZone, settings.slotIntervalMinutes, from, to)
  const duration = settings.slotDurationMinutes * MINUTE_MS
  const before = settings.bufferBeforeMinutes * MINUTE_MS
  const after = settings.bufferAfterMinutes * MINUTE_MS

  if (settings.type === 'CLASS_BOOKING') {
    const seats = settings.seatsPerSlot!
    const taken = input.classSeatsTaken ?? new Map<number, number>()
    const host = new MemberCursor(members[0]!, settings, from, to)
    const sessions = new ClassSessions(taken, duration)
    const out: Slot[] = []
    for (const s of starts) {
      const seatsLeft = seats - (taken.get(s) ?? 0)
      if (seatsLeft <= 0) continue
      const e = s + duration
      if (host.isFree(s, e, before, after) && !sessions.conflicts(s, e, before, after)) {
        out.push({ start: s, end: e, freeMemberIds: [host.id], seatsLeft })
      }
    }
    return out
  }

  const cursors = members.map((m) => new MemberCursor(m, settings, from, to))
  const out: Slot[] = []
  if (settings.type === 'COLLECTIVE') {
    const allIds = cursors.map((c) => c.id)
    for (const s of starts) {
      const e = s + duration
      if (cursors.every((c) => c.isFree(s, e, before, after))) {
        out.push({ start: s, end: e, freeMemberIds: [...allIds], seatsLeft: null })
      }
    }
    return out
  }
  // SERVICE and ROUND_ROBIN: open when anyone is free; the booking picks among freeMemberIds.
  for (const s of starts) {
    const e = s + duration
    const free: string[] = []
    for (const c of cursors) if (c.isFree(s, e, before, after)) free.push(c.id)
    if (free.length > 0) out.push({ start: s, end: e, freeMemberIds: free, seatsLeft: null })
  }
  return out
}

/** Grid starts in [from, to), ascending, without duplicates. */
function gridStarts(timeZone: string, intervalMinutes: number, from: number, to: number): number[] {
  const segments = offsetSegments(timeZone, from - 3 * DAY_MS, to + 3 * DAY_MS)
  const step = intervalMinutes * MINUTE_MS
  const out: number[] = []
  let sorted = true
  const push = (t: number) => {
    if (t < from || t >= to) return
    const last = out[out.length - 1]
    if (last !== undefined && t <= last) sorted = false
    out.push(t)
  }
  const firstDay = Math.floor(from / DAY_MS) * DAY_MS - DAY_MS
  const lastDay = Math.floor((to - 1) / DAY_MS) * DAY_MS + DAY_MS
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    const seg = segments[segmentIndexAt(segments, day - DAY_MS)]!
    if (seg.end > day + 2 * DAY_MS) {
      // No transition anywhere near this local day (offsets are within ±1 day): wall time maps linearly.
      for (let m = 0; m < DAY_MS; m += step) push(day + m - seg.offsetMs)
    } else {
      for (let m = 0; m < DAY_MS; m += step) for (const t of instantsAtWallTime(segments, day + m)) push(t)
    }
  }
  if (sorted) return out
  out.sort((a, b) => a - b)
  return out.filter((t, i) => i === 0 || t !== out[i - 1])
}

// Walks one member's sorted working/busy lists forward as slot starts increase, so each list is traversed once.
class MemberCursor {
  readonly id: string
  private readonly working: readonly Interval[]
  private readonly busy: readonly Interval[]
  private wi = 0
  private bi = 0
  private readonly cap: number | null
  private readonly counts: Map<string, number>
  private readonly segments: readonly OffsetSegment[]
  private si = 0
  private dayIndex = NaN
  private dayCount = 0

  constructor(member: MemberAvailabilityInput, settings: CalendarSettings, from: number, to: number) {
    this.id = member.memberId
    this.working = isNormalized(member.working) ? member.working : normalize(member.working)
    this.busy = isNormalized(member.busy) ? member.busy : normalize(member.busy)
    this.cap = settings.maxBookingsPerDayPerMember
    this.counts = member.bookingsPerLocalDay
    this.segments = this.cap === null ? [] : offsetSegments(member.timeZone, from - DAY_MS, to + DAY_MS)
  }

  // Calls must come with non-decreasing s (and the same duration), which gridStarts guarantees.
  isFree(s: number, e: number, before: number, after: number): boolean {
    const w = this.working
    while (this.wi < w.length && w[this.wi]!.end < e) this.wi++
    const iv = w[this.wi]
    if (iv === undefined || iv.start > s) return false

    const b = this.busy
    const windowStart = s - before
    while (this.bi < b.length && b[this.bi]!.end <= windowStart) this.bi++
    const next = b[this.bi]
    if (next !== undefined && next.start < e + after) return false

    return this.cap === null || this.bookingsOn(s) < this.cap
  }

  private bookingsOn(s: number): number {
    while (this.segments[this.si]!.end <= s) this.si++
    const dayIndex = Math.floor((s + this.segments[this.si]!.offsetMs) / DAY_MS)
    if (dayIndex !== this.dayIndex) {
      this.dayIndex = dayIndex
      this.dayCount = this.counts.get(naiveToDayKey(dayIndex * DAY_MS)) ?? 0
    }
    return this.dayCount
  }
}

// A class host teaches one session at a time: sessions that already have bookings occupy the host, except for the
// slot at exactly their own start (that is the session people join).
class ClassSessions {
  private readonly starts: number[]
  private i = 0

  constructor(
    taken: Map<number, number>,
    private readonly duration: number,
  ) {
    this.starts = [...taken].filter(([, n]) => n > 0).map(([t]) => t)
    this.starts.sort((a, b) => a - b)
  }

  conflicts(s: number, e: number, before: number, after: number): boolean {
    const windowStart = s - before
    const windowEnd = e + after
    while (this.i < this.starts.length && this.starts[this.i]! + this.duration <= windowStart) this.i++
    for (let k = this.i; k < this.starts.length && this.starts[k]! < windowEnd; k++) {
      if (this.starts[k] !== s) return true
    }
    return false
  }
}

function assertSettings(s: CalendarSettings): void {
  const positiveInt = (name: string, v: number) => {
    if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${name} must be a positive integer, got ${v}`)
  }
  const nonNegative = (name: string, v: number) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${name} must be a finite number >= 0, got ${v}`)
  }
  positiveInt('slotDurationMinutes', s.slotDurationMinutes)
  positiveInt('slotIntervalMinutes', s.slotIntervalMinutes)
  nonNegative('bufferBeforeMinutes', s.bufferBeforeMinutes)
  nonNegative('bufferAfterMinutes', s.bufferAfterMinutes)
  nonNegative('minNoticeMinutes', s.minNoticeMinutes)
  nonNegative('bookingWindowDays', s.bookingWindowDays)
  if (s.maxBookingsPerDayPerMember !== null) nonNegative('maxBookingsPerDayPerMember', s.maxBookingsPerDayPerMember)
  if (s.type === 'CLASS_BOOKING') {
    if (s.seatsPerSlot === null) throw new RangeError('CLASS_BOOKING calendars need seatsPerSlot')
    nonNegative('seatsPerSlot', s.seatsPerSlot)
  }
}
