// Runs tasks ahead of a consumer that is still busy with earlier results, and hands the results over in order.
//
// Why: an initial sync fetches thousands of objects in calendar-multiget batches and stores them in larger
// transactions. With the embedded database the store blocks this thread, so a request that completes during a write
// is only noticed afterwards; with fetches awaited one by one, the CalDAV server sits idle for most of every write.
// Keeping `concurrency` requests in flight lets the server work through the write, and `ahead` bounds how many
// results (and so how much memory) wait for the consumer.

export interface ReadAheadOptions {
  /** Tasks running at once. */
  concurrency: number
  /** Tasks started but not yet consumed, running or done (at least `concurrency`). */
  ahead: number
}

/**
 * Yields the results of `tasks` in order. A failed task is thrown to the consumer at its position; when the consumer
 * stops (break, throw, or that failure), tasks not yet started never start.
 */
export async function* readAhead<T>(
  tasks: readonly (() => Promise<T>)[],
  options: ReadAheadOptions,
): AsyncGenerator<T> {
  const concurrency = Math.max(1, Math.floor(options.concurrency))
  const ahead = Math.max(concurrency, Math.floor(options.ahead))
  const started: Promise<T>[] = []
  let next = 0
  let running = 0
  let stopped = false

  const startMore = () => {
    while (!stopped && next < tasks.length && running < concurrency && started.length < ahead) {
      const task = tasks[next++]!
      running++
      const result = task()
      result.catch(() => {}) // observed when consumed; a result the consumer never reaches must not go unhandled
      void result
        .catch(() => {})
        .finally(() => {
          running--
          startMore()
        })
      started.push(result)
    }
  }

  try {
    startMore()
    while (started.length > 0) {
      const result = await started.shift()!
      startMore()
      yield result
    }
  } finally {
    stopped = true
  }
}
