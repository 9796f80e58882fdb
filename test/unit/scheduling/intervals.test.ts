import { describe, expect, it } from 'vitest'
import {
  clip,
  containedIn,
  expand,
  intersect,
  isNormalized,
  normalize,
  overlapsAny,
  subtract,
  totalLength,
  union,
  type Interval,
} from '../../../src/scheduling/intervals.ts'

const iv = (start: number, end: number): Interval => ({ start, end })

describe('normalize', () => {
  it('sorts and merges overlapping intervals', () => {
    expect(normalize([iv(5, 8), iv(1, 3), iv(2, 4)])).toEqual([iv(1, 4), iv(5, 8)])
  })
  it('merges touching intervals (half-open [1,3) + [3,5) is one block)', () => {
    expect(normalize([iv(3, 5), iv(1, 3)])).toEqual([iv(1, 5)])
  })
  it('keeps a gap of one unit', () => {
    expect(normalize([iv(1, 3), iv(4, 5)])).toEqual([iv(1, 3), iv(4, 5)])
  })
  it('absorbs contained intervals', () => {
    expect(normalize([iv(1, 10), iv(2, 3), iv(4, 12), iv(0, 1)])).toEqual([iv(0, 12)])
  })
  it('drops zero-length and inverted intervals', () => {
    expect(normalize([iv(4, 4), iv(7, 2), iv(1, 2)])).toEqual([iv(1, 2)])
    expect(normalize([iv(4, 4)])).toEqual([])
  })
  it('handles empty input', () => {
    expect(normalize([])).toEqual([])
  })
  it('does not mutate or alias its input', () => {
    const input = [iv(3, 5), iv(1, 4)]
    const out = normalize(input)
    out[0]!.end = 99
    expect(input).toEqual([iv(3, 5), iv(1, 4)])
    const already = [iv(1, 2)]
    expect(normalize(already)[0]).not.toBe(already[0])
  })
  it('isNormalized rejects unsorted, touching, overlapping and empty', () => {
    expect(isNormalized([iv(1, 2), iv(3, 4)])).toBe(true)
    expect(isNormalized([])).toBe(true)
    expect(isNormalized([iv(3, 4), iv(1, 2)])).toBe(false)
    expect(isNormalized([iv(1, 2), iv(2, 3)])).toBe(false)
    expect(isNormalized([iv(1, 3), iv(2, 4)])).toBe(false)
    expect(isNormalized([iv(1, 1)])).toBe(false)
  })
})

describe('subtract', () => {
  it('cuts a hole in the middle', () => {
    expect(subtract([iv(0, 10)], [iv(3, 5)])).toEqual([iv(0, 3), iv(5, 10)])
  })
  it('touching subtrahend removes nothing', () => {
    expect(subtract([iv(0, 10)], [iv(10, 12), iv(-5, 0)])).toEqual([iv(0, 10)])
  })
  it('containment removes everything', () => {
    expect(subtract([iv(2, 4), iv(6, 8)], [iv(0, 10)])).toEqual([])
  })
  it('one subtrahend spanning several minuends', () => {
    expect(subtract([iv(0, 2), iv(3, 5), iv(6, 9)], [iv(1, 7)])).toEqual([iv(0, 1), iv(7, 9)])
  })
  it('several subtrahends in one minuend, including at both edges', () => {
    expect(subtract([iv(0, 10)], [iv(0, 1), iv(2, 3), iv(9, 10)])).toEqual([iv(1, 2), iv(3, 9)])
  })
  it('empty inputs', () => {
    expect(subtract([], [iv(0, 1)])).toEqual([])
    expect(subtract([iv(0, 1)], [])).toEqual([iv(0, 1)])
  })
  it('zero-length subtrahend removes nothing', () => {
    expect(subtract([iv(0, 10)], [iv(5, 5)])).toEqual([iv(0, 10)])
  })
  it('accepts unnormalized inputs', () => {
    expect(subtract([iv(5, 10), iv(0, 6)], [iv(4, 4), iv(7, 8), iv(2, 3)])).toEqual([iv(0, 2), iv(3, 7), iv(8, 10)])
  })
})

describe('intersect', () => {
  it('overlap', () => {
    expect(intersect([iv(0, 5)], [iv(3, 8)])).toEqual([iv(3, 5)])
  })
  it('touching intervals do not intersect', () => {
    expect(intersect([iv(0, 5)], [iv(5, 8)])).toEqual([])
  })
  it('containment', () => {
    expect(intersect([iv(0, 10)], [iv(2, 3), iv(4, 6)])).toEqual([iv(2, 3), iv(4, 6)])
  })
  it('interleaved lists', () => {
    expect(intersect([iv(0, 2), iv(4, 6), iv(8, 10)], [iv(1, 5), iv(5, 9)])).toEqual([iv(1, 2), iv(4, 6), iv(8, 9)])
  })
  it('empty inputs', () => {
    expect(intersect([], [iv(0, 1)])).toEqual([])
    expect(intersect([iv(0, 1)], [])).toEqual([])
  })
})

describe('union', () => {
  it('merges overlapping and touching across lists', () => {
    expect(union([iv(0, 2), iv(8, 9)], [iv(2, 4), iv(5, 6)])).toEqual([iv(0, 4), iv(5, 6), iv(8, 9)])
  })
  it('empty inputs', () => {
    expect(union([], [])).toEqual([])
    expect(union([iv(1, 2)], [])).toEqual([iv(1, 2)])
  })
})

describe('clip', () => {
  it('trims intervals crossing the range edges and drops outside ones', () => {
    expect(clip([iv(0, 3), iv(4, 6), iv(8, 12), iv(20, 30)], iv(2, 10))).toEqual([iv(2, 3), iv(4, 6), iv(8, 10)])
  })
  it('touching the range edge is outside', () => {
    expect(clip([iv(0, 2), iv(10, 12)], iv(2, 10))).toEqual([])
  })
  it('empty range or list', () => {
    expect(clip([iv(0, 10)], iv(5, 5))).toEqual([])
    expect(clip([], iv(0, 5))).toEqual([])
  })
})

describe('overlapsAny', () => {
  const list = normalize([iv(10, 20), iv(30, 40), iv(50, 60)])
  it('detects overlaps at either edge and containment', () => {
    expect(overlapsAny(list, iv(15, 25))).toBe(true)
    expect(overlapsAny(list, iv(25, 31))).toBe(true)
    expect(overlapsAny(list, iv(32, 33))).toBe(true)
    expect(overlapsAny(list, iv(0, 100))).toBe(true)
  })
  it('touching is not overlapping', () => {
    expect(overlapsAny(list, iv(20, 30))).toBe(false)
    expect(overlapsAny(list, iv(0, 10))).toBe(false)
    expect(overlapsAny(list, iv(60, 70))).toBe(false)
  })
  it('gaps, empty list and empty interval', () => {
    expect(overlapsAny(list, iv(41, 49))).toBe(false)
    expect(overlapsAny([], iv(0, 10))).toBe(false)
    expect(overlapsAny(list, iv(15, 15))).toBe(false)
  })
})

describe('containedIn', () => {
  const list = normalize([iv(10, 20), iv(20, 25), iv(30, 40)])
  it('is inclusive of both edges and sees through merged touching intervals', () => {
    expect(containedIn(list, iv(10, 25))).toBe(true)
    expect(containedIn(list, iv(30, 40))).toBe(true)
  })
  it('rejects partial and cross-gap intervals', () => {
    expect(containedIn(list, iv(9, 12))).toBe(false)
    expect(containedIn(list, iv(24, 31))).toBe(false)
    expect(containedIn(list, iv(35, 41))).toBe(false)
    expect(containedIn([], iv(1, 2))).toBe(false)
  })
})

describe('expand', () => {
  it('pads each interval and merges those that now overlap', () => {
    expect(expand([iv(10, 20), iv(25, 30), iv(50, 60)], 3, 2)).toEqual([iv(7, 32), iv(47, 62)])
  })
  it('padding that only makes intervals touch still merges them', () => {
    expect(expand([iv(10, 20), iv(25, 30)], 3, 2)).toEqual([iv(7, 32)])
    expect(expand([iv(10, 20), iv(26, 30)], 3, 2)).toEqual([iv(7, 22), iv(23, 32)])
  })
  it('zero buffers is normalize', () => {
    expect(expand([iv(3, 4), iv(1, 3)], 0, 0)).toEqual([iv(1, 4)])
  })
  it('rejects negative or non-finite buffers', () => {
    expect(() => expand([iv(1, 2)], -1, 0)).toThrow(RangeError)
    expect(() => expand([iv(1, 2)], 0, Number.NaN)).toThrow(RangeError)
  })
})

// Reference model: a set of integer points, so every operation can be checked against plain set logic.
describe('randomised against a point-set model', () => {
  const U = 60
  const toSet = (list: readonly Interval[]) => {
    const s = new Set<number>()
    for (const x of list) for (let t = x.start; t < x.end; t++) s.add(t)
    return s
  }
  const fromSet = (s: Set<number>): Interval[] => {
    const out: Interval[] = []
    for (let t = 0; t < U; t++) {
      if (!s.has(t)) continue
      const last = out[out.length - 1]
      if (last && last.end === t) last.end = t + 1
      else out.push(iv(t, t + 1))
    }
    return out
  }
  let seed = 42
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed % n
  }
  const randomList = () =>
    Array.from({ length: rnd(6) }, () => {
      const a = rnd(U)
      return iv(a, Math.min(U, a + rnd(12)))
    })

  it('normalize/union/intersect/subtract/clip/overlapsAny/expand agree with the model on 2000 cases', () => {
    for (let n = 0; n < 2000; n++) {
      const a = randomList()
      const b = randomList()
      const A = toSet(a)
      const B = toSet(b)
      expect(normalize(a)).toEqual(fromSet(A))
      expect(union(a, b)).toEqual(fromSet(new Set([...A, ...B])))
      expect(intersect(a, b)).toEqual(fromSet(new Set([...A].filter((t) => B.has(t)))))
      expect(subtract(a, b)).toEqual(fromSet(new Set([...A].filter((t) => !B.has(t)))))
      const r = iv(rnd(U), rnd(U))
      expect(clip(a, r)).toEqual(fromSet(new Set([...A].filter((t) => t >= r.start && t < r.end))))
      expect(overlapsAny(normalize(a), r)).toBe([...A].some((t) => t >= r.start && t < r.end))
      const padded = expand(a, 2, 3)
      expect(totalLength(padded)).toBe(
        toSet(a.filter((x) => x.start < x.end).map((x) => iv(x.start - 2, x.end + 3))).size,
      )
    }
  })
})
