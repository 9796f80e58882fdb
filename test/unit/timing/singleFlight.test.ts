// Calls in one turn or while the work is in flight share it; a call after it settled does the work again.
import { describe, expect, it } from 'vitest'
import { singleFlight, singleFlightPer } from '../../../src/timing/singleFlight.ts'

describe('singleFlight', () => {
  it('shares one run between calls of one turn and of the run in flight, and runs again after it settled', async () => {
    let runs = 0
    let finish: (value: string) => void = () => {}
    const read = singleFlight((key) => {
      runs++
      return new Promise<string>((resolve) => (finish = (value) => resolve(`${key}:${value}`)))
    })
    const first = read('a')
    const sameTurn = read('a')
    await new Promise((resolve) => setImmediate(resolve))
    const inFlight = read('a')
    expect(runs).toBe(1)
    finish('1')
    expect(await Promise.all([first, sameTurn, inFlight])).toEqual(['a:1', 'a:1', 'a:1'])

    const later = read('a')
    await new Promise((resolve) => setImmediate(resolve))
    expect(runs).toBe(2)
    finish('2')
    expect(await later).toBe('a:2')
  })

  it('keeps keys and owners apart, and shares a failure only with the calls that waited for it', async () => {
    const runs: string[] = []
    const read = singleFlightPer(async (owner: { name: string }, key: string) => {
      runs.push(`${owner.name}/${key}`)
      if (key === 'bad') throw new Error('failed')
      return key
    })
    const one = { name: 'one' }
    const two = { name: 'two' }
    expect(await Promise.all([read(one, 'x'), read(one, 'y'), read(two, 'x')])).toEqual(['x', 'y', 'x'])
    expect(runs.sort()).toEqual(['one/x', 'one/y', 'two/x'])
    await expect(Promise.all([read(one, 'bad'), read(one, 'bad')])).rejects.toThrow('failed')
    await expect(read(one, 'bad')).rejects.toThrow('failed')
    expect(runs.filter((run) => run === 'one/bad')).toHaveLength(2)
  })
})
