// One subscriber's pushes as an async iterator that buffers from the moment it is created. Hand-written because the
// shared feed delivers to it before the GraphQL layer first calls next(); Repeater and async generators start lazily
// and an unstarted generator never runs its cleanup when the client leaves first.

export class SubscriberQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffered: T[] = []
  private waiting: ((result: IteratorResult<T>) => void) | null = null
  private failWaiting: ((error: unknown) => void) | null = null
  private error: Error | null = null
  private done = false

  constructor(private readonly onClose: () => void) {}

  push(value: T): void {
    if (this.done) return
    if (this.waiting) {
      const resolve = this.waiting
      this.waiting = this.failWaiting = null
      resolve({ value, done: false })
    } else this.buffered.push(value)
  }

  /** Ends the stream with an error after what is already buffered. */
  fail(error: unknown): void {
    if (this.done) return
    this.error = error instanceof Error ? error : new Error('subscription stopped', { cause: error })
    if (this.failWaiting) {
      const reject = this.failWaiting
      this.waiting = this.failWaiting = null
      this.finish()
      reject(this.error)
    }
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffered.shift()
    if (value !== undefined) return Promise.resolve({ value, done: false })
    if (this.error !== null && !this.done) {
      this.finish()
      return Promise.reject(this.error)
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve, reject) => {
      this.waiting = resolve
      this.failWaiting = reject
    })
  }

  return(): Promise<IteratorResult<T>> {
    this.finish()
    this.buffered.length = 0
    this.waiting?.({ value: undefined, done: true })
    this.waiting = this.failWaiting = null
    return Promise.resolve({ value: undefined, done: true })
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    void this.return()
    return Promise.reject(error instanceof Error ? error : new Error(String(error)))
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  private finish(): void {
    if (this.done) return
    this.done = true
    this.onClose()
  }
}
