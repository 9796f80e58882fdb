// Per-process cache of each user's BUSY blocked slots as normalized intervals, keyed by the user's BusyTimeVersion.
//
// Why: a member's blocked slots are thousands of rows that change a few times a day, while availability is read on
// every widget view and every subscription push. The loader asks the database for the current versions in the same
// statement that loads everything else, and reads the rows of a member only when their version differs from the
// cached one. The version is bumped by a trigger in the transaction that changes the rows, so a hit is never stale,
// whichever process (or a cascade, or psql) made the change: no pub/sub and no expiry are needed for correctness.
//
// An entry holds the busy time of a horizon (`cover`), not the whole sync window: the first request of a process reads
// a few weeks of rows per member instead of a year's. A request outside an entry's horizon reads that member again.
import { DAY_MS } from '../time/zoneOffsets.ts'
import { normalize, type Interval } from './intervals.ts'

/** One user's busy time at one version. Immutable: a request keeps using the one it looked up, even if evicted. */
export class CachedBusyTime {
  constructor(
    readonly version: number,
    /** Every busy interval overlapping this span is held (whole, even where it reaches past the span). */
    readonly cover: Interval,
    /** Normalized (sorted, disjoint) intervals as parallel arrays: 16 bytes an interval, no object per interval. */
    private readonly starts: Float64Array,
    private readonly ends: Float64Array,
  ) {}

  /** Whether every busy interval overlapping [from, to) is held. */
  covers(from: number, to: number): boolean {
    return this.cover.start <= from && to <= this.cover.end
  }

  get size(): number {
    return this.starts.length
  }

  /** The intervals overlapping [from, to), ascending. */
  between(from: number, to: number): Interval[] {
    const { starts, ends } = this
    // First interval ending after `from`: ends ascend too, since the intervals are sorted and disjoint.
    let lo = 0
    let hi = ends.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (ends[mid]! <= from) lo = mid + 1
      else hi = mid
    }
    const out: Interval[] = []
    for (let i = lo; i < starts.length && starts[i]! < to; i++) out.push({ start: starts[i]!, end: ends[i]! })
    return out
  }
}

export class BusyTimeCache {
  // Map iteration order is insertion order: re-inserting on use keeps the least recently used entry first.
  private readonly entries = new Map<string, CachedBusyTime>()
  private readonly membersByCalendar = new Map<string, string[]>()
  private size = 0

  /**
   * @param maxIntervals memory budget, in intervals (16 bytes each) over all users.
   * @param horizonMs how far ahead of now a read caches, whatever the request's range.
   */
  constructor(
    private readonly maxIntervals: number,
    private readonly horizonMs: number = DEFAULT_HORIZON_MS,
  ) {}

  /** What to read for a member whose entry misses `needed`: at least the horizon, so later requests hit. */
  readSpan(needed: Interval, now: number): Interval {
    return { start: Math.min(needed.start, now - DAY_MS), end: Math.max(needed.end, now + this.horizonMs) }
  }

  /** The users the loader last saw on this calendar: whose cached versions it sends with its query. */
  knownMembers(calendarId: string): readonly string[] {
    return this.membersByCalendar.get(calendarId) ?? []
  }

  rememberMembers(calendarId: string, userIds: readonly string[]): void {
    this.membersByCalendar.delete(calendarId)
    this.membersByCalendar.set(calendarId, [...userIds])
    // Ids only, but bounded all the same: the oldest calendars go first.
    while (this.membersByCalendar.size > MAX_CALENDAR_HINTS) {
      this.membersByCalendar.delete(this.membersByCalendar.keys().next().value!)
    }
  }

  /** The cached busy time of each of `userIds` that has one, marked as recently used. */
  lookup(userIds: readonly string[]): Map<string, CachedBusyTime> {
    const out = new Map<string, CachedBusyTime>()
    for (const userId of userIds) {
      const entry = this.entries.get(userId)
      if (entry === undefined) continue
      this.entries.delete(userId)
      this.entries.set(userId, entry)
      out.set(userId, entry)
    }
    return out
  }

  /**
   * Caches a user's busy time (any order) at `version`: every interval overlapping `cover`. Evicts the least recently
   * used users over budget.
   */
  store(userId: string, version: number, busy: readonly Interval[], cover: Interval = EVERYTHING): CachedBusyTime {
    const sorted = normalize(busy)
    const starts = new Float64Array(sorted.length)
    const ends = new Float64Array(sorted.length)
    sorted.forEach((iv, i) => {
      starts[i] = iv.start
      ends[i] = iv.end
    })
    const entry = new CachedBusyTime(version, cover, starts, ends)
    const previous = this.entries.get(userId)
    if (previous !== undefined) {
      this.entries.delete(userId)
      this.size -= previous.size
    }
    if (entry.size > this.maxIntervals) return entry // usable for this request, too large to keep
    this.entries.set(userId, entry)
    this.size += entry.size
    for (const [oldest, cached] of this.entries) {
      if (this.size <= this.maxIntervals) break
      this.entries.delete(oldest)
      this.size -= cached.size
    }
    return entry
  }

  /** Intervals held, over all users (the budget's unit). */
  get cachedIntervals(): number {
    return this.size
  }
}

const MAX_CALENDAR_HINTS = 10_000
const DEFAULT_HORIZON_MS = 35 * DAY_MS
const EVERYTHING: Interval = { start: -Infinity, end: Infinity }
