import { describe, expect, it } from 'vitest'
import { readAhead } from '../../../src/sync/readAhead.ts'

/** Tasks that record when they start and finish, resolving after `ms` (or failing at `failAt`). */
function tasks(count: number, ms: number, failAt = -1) {
  let running = 0
  const log = { started: [] as number[], maxRunning: 0 }
  const list = Array.from({ length: count }, (_, i) => async () => {
    log.started.push(i)
    running++
    log.maxRunning = Math.max(log.maxRunning, running)
    await new Promise((resolve) => setTimeout(resolve, ms * ((i % 3) + 1))) // uneven: later ones may finish first
    running--
    if (i === failAt) throw new Error(`task ${i} failed`)
    return i
  })
  return { list, log }
}

describe('readAhead', () => {
  it('yields results in task order with at most `concurrency` running', async () => {
    const { list, log } = tasks(12, 5)
    const out: number[] = []
    for await (const value of readAhead(list, { concurrency: 3, ahead: 6 })) out.push(value)
    expect(out).toEqual([...Array(12).keys()])
    expect(log.maxRunning).toBe(3)
  })

  it('starts no more than `ahead` tasks past what the consumer has taken', async () => {
    const { list, log } = tasks(20, 1)
    const iterator = readAhead(list, { concurrency: 2, ahead: 4 })[Symbol.asyncIterator]()
    expect((await iterator.next()).value).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 50)) // a slow consumer: the tasks run ahead, then wait
    expect(log.started).toHaveLength(5) // the one taken + 4 waiting
    await iterator.return(undefined)
  })

  it('throws a failure at its position and starts nothing after the consumer stops', async () => {
    const { list, log } = tasks(10, 2, 3)
    const out: number[] = []
    await expect(async () => {
      for await (const value of readAhead(list, { concurrency: 2, ahead: 2 })) out.push(value)
    }).rejects.toThrow('task 3 failed')
    expect(out).toEqual([0, 1, 2])
    const startedAtFailure = log.started.length
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(log.started.length).toBe(startedAtFailure)
    expect(startedAtFailure).toBeLessThan(10)
  })
})
