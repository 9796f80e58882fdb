// Small concurrency tools of the engine: I/O-bound work (CalDAV round trips) runs many at once, within limits.

/**
 * Runs `work` for each item, at most `limit` at once. When one throws, no further item starts; every started one is
 * awaited (none may write after the caller moves on, e.g. releases the lease), then the first error is thrown.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0
  let failed: { error: unknown } | null = null
  const worker = async () => {
    while (failed === null && next < items.length) {
      const index = next++
      try {
        await work(items[index]!, index)
      } catch (error) {
        failed ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  if (failed) throw (failed as { error: unknown }).error
}

/** A counting semaphore: `acquire` resolves with a release function once a permit is free (FIFO). */
export class Semaphore {
  private free: number
  private readonly waiting: (() => void)[] = []

  constructor(permits: number) {
    this.free = permits
  }

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    let released = false
    return () => {
      if (released) return
      released = true
      const wake = this.waiting.shift()
      if (wake) wake()
      else this.free++
    }
  }
}
