// Half-open interval arithmetic on epoch milliseconds.
//
// "Normalized" means: sorted by start, every interval non-empty (start < end), and no two intervals overlap or touch
// (touching ones are merged). The binary operations below accept any input but run in linear time when their inputs
// are already normalized, which is the common case: a cheap O(n) check skips the O(n log n) sort.

export type Interval = { start: number; end: number }

export function isNormalized(list: readonly Interval[]): boolean {
  let prevEnd = -Infinity
  for (const iv of list) {
    // `start <= prevEnd` also rejects touching neighbours, which normalize() would merge.
    if (!(iv.start < iv.end) || iv.start <= prevEnd) return false
    prevEnd = iv.end
  }
  return true
}

/** Sort and merge overlapping or touching intervals; drops empty (start >= end) ones. Never mutates the input. */
export function normalize(list: readonly Interval[]): Interval[] {
  if (isNormalized(list)) return list.map(copy)
  const sorted = list.filter((iv) => iv.start < iv.end).sort((a, b) => a.start - b.start || a.end - b.end)
  return mergeSorted(sorted)
}

/** a \ b: the parts of `a` not covered by `b`. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = asNormalized(a)
  const y = asNormalized(b)
  const out: Interval[] = []
  let j = 0
  for (const iv of x) {
    let cursor = iv.start
    // Skip b-intervals that end before this a-interval starts; they cannot affect later a-intervals either.
    while (j < y.length && y[j]!.end <= cursor) j++
    let k = j
    while (k < y.length && y[k]!.start < iv.end) {
      const cut = y[k]!
      if (cut.start > cursor) out.push({ start: cursor, end: cut.start })
      if (cut.end > cursor) cursor = cut.end
      if (cursor >= iv.end) break
      k++
    }
    if (cursor < iv.end) out.push({ start: cursor, end: iv.end })
  }
  return out
}

export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = asNormalized(a)
  const y = asNormalized(b)
  const out: Interval[] = []
  let i = 0
  let j = 0
  while (i < x.length && j < y.length) {
    const p = x[i]!
    const q = y[j]!
    const start = Math.max(p.start, q.start)
    const end = Math.min(p.end, q.end)
    if (start < end) out.push({ start, end })
    if (p.end < q.end) i++
    else j++
  }
  return out
}

export function union(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = asNormalized(a)
  const y = asNormalized(b)
  const merged: Interval[] = []
  let i = 0
  let j = 0
  while (i < x.length || j < y.length) {
    const takeX = j >= y.length || (i < x.length && x[i]!.start <= y[j]!.start)
    merged.push(takeX ? x[i++]! : y[j++]!)
  }
  return mergeSorted(merged)
}

/** The parts of `list` inside `range`. Binary-searches the first candidate, so clipping a long list to a short range is cheap. */
export function clip(list: readonly Interval[], range: Interval): Interval[] {
  if (!(range.start < range.end)) return []
  const x = asNormalized(list)
  const out: Interval[] = []
  for (let i = firstEndingAfter(x, range.start); i < x.length && x[i]!.start < range.end; i++) {
    const iv = x[i]!
    out.push({ start: Math.max(iv.start, range.start), end: Math.min(iv.end, range.end) })
  }
  return out
}

/**
 * Whether `interval` shares at least one instant with any interval of `sortedList` (which must be normalized).
 * Touching is not overlapping: [9, 10) and [10, 11) are disjoint. An empty interval overlaps nothing.
 */
export function overlapsAny(sortedList: readonly Interval[], interval: Interval): boolean {
  if (!(interval.start < interval.end)) return false
  const i = firstEndingAfter(sortedList, interval.start)
  return i < sortedList.length && sortedList[i]!.start < interval.end
}

/** Whether `interval` lies entirely inside one interval of `sortedList` (which must be normalized). */
export function containedIn(sortedList: readonly Interval[], interval: Interval): boolean {
  if (!(interval.start < interval.end)) return false
  const i = firstEndingAfter(sortedList, interval.start)
  return i < sortedList.length && sortedList[i]!.start <= interval.start && interval.end <= sortedList[i]!.end
}

/** Pad every interval by `before` ms at the start and `after` ms at the end, then normalize. */
export function expand(list: readonly Interval[], before: number, after: number): Interval[] {
  if (!(before >= 0 && after >= 0 && Number.isFinite(before) && Number.isFinite(after))) {
    throw new RangeError(`expand: buffers must be finite and >= 0 (got ${before}, ${after})`)
  }
  // Equal padding keeps the start order, so a normalized input stays sorted and only needs merging.
  return mergeSorted(asNormalized(list).map((iv) => ({ start: iv.start - before, end: iv.end + after })))
}

/** Total length in ms of a normalized list. */
export function totalLength(list: readonly Interval[]): number {
  let sum = 0
  for (const iv of list) sum += iv.end - iv.start
  return sum
}

/** Index of the first interval whose end is after `t`, in a list whose ends are sorted (any normalized list). */
function firstEndingAfter(sortedList: readonly Interval[], t: number): number {
  let lo = 0
  let hi = sortedList.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sortedList[mid]!.end <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}

function asNormalized(list: readonly Interval[]): readonly Interval[] {
  return isNormalized(list) ? list : normalize(list)
}

// Input sorted by start with non-empty intervals; output fresh objects so callers never alias their inputs.
function mergeSorted(sorted: readonly Interval[]): Interval[] {
  const out: Interval[] = []
  for (const iv of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && iv.start <= last.end) {
      if (iv.end > last.end) last.end = iv.end
    } else {
      out.push({ start: iv.start, end: iv.end })
    }
  }
  return out
}

function copy(iv: Interval): Interval {
  return { start: iv.start, end: iv.end }
}
