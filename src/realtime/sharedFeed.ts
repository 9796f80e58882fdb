// One live computation shared by every subscriber of the same key in this process: one pub/sub listener, one
// computation per change (a burst of changes is one computation), what changed worked out once, and each push rendered
// once per time zone. A newcomer's first push is the current state when no change is pending, so subscribing costs no
// computation while the feed is current.
import type { Services } from '../app/services.ts'
import { SubscriberQueue } from './subscriberQueue.ts'

/** What a feed computes and how it renders it: S the state, C what changed between two states, P a push. */
export interface FeedSource<S, C, P> {
  /** The calendar whose availabilityChanged events make the feed recompute. */
  calendarId: string
  /** The current state; throwing ends every subscriber's stream with that error. */
  compute(): Promise<S>
  /** What changed that subscribers would see, or null when nothing did (no push). */
  change(previous: S, next: S): C | null
  firstPush(state: S, timeZone: string): P
  updatePush(state: S, change: C, timeZone: string): P
}

interface Subscriber<P> {
  timeZone: string
  queue: SubscriberQueue<P>
}

/** Bursts (a sync run writing many slots, a booking touching several members) become one recomputation. */
const COALESCE_MS = 50

type FeedServices = Pick<Services, 'pubsub' | 'logger'>

export class SharedFeed<S, C, P> {
  private readonly subscribers = new Set<Subscriber<P>>()
  /** Subscribers whose first push waits for the computation in flight or pending. */
  private readonly awaitingFirst = new Set<Subscriber<P>>()
  private current: S | null = null
  /** First pushes of the current state by zone: every newcomer in a zone gets the same object. */
  private firstPushes = new Map<string, P>()
  /** A change arrived that `current` does not reflect yet. */
  private dirty = true
  private running = false
  private timer: NodeJS.Timeout | null = null
  private closed = false
  private readonly events: AsyncIterator<unknown>

  constructor(
    private readonly services: FeedServices,
    private readonly source: FeedSource<S, C, P>,
    private readonly onClose: () => void,
  ) {
    // Listen before the first computation so that nothing changing in between is missed.
    this.events = services.pubsub.subscribe('availabilityChanged', source.calendarId)[Symbol.asyncIterator]()
    void this.listen()
    this.schedule(0)
  }

  get size(): number {
    return this.subscribers.size + this.awaitingFirst.size
  }

  get calendarId(): string {
    return this.source.calendarId
  }

  /** Whether the state reflects every change heard so far (no computation pending or running). */
  isCurrent(): boolean {
    return this.current !== null && !this.dirty && !this.running && !this.closed
  }

  /** A new subscriber's queue; its first push is there at once when the feed is current, else after the computation. */
  subscribe(timeZone: string): SubscriberQueue<P> {
    const subscriber: Subscriber<P> = { timeZone, queue: new SubscriberQueue(() => this.remove(subscriber)) }
    if (this.isCurrent() && this.current !== null) {
      subscriber.queue.push(this.firstPush(this.current, timeZone))
      this.subscribers.add(subscriber)
    } else this.awaitingFirst.add(subscriber)
    return subscriber.queue
  }

  private remove(subscriber: Subscriber<P>): void {
    this.subscribers.delete(subscriber)
    this.awaitingFirst.delete(subscriber)
    if (this.size === 0) this.close()
  }

  private async listen(): Promise<void> {
    for (;;) {
      const result = await this.events.next()
      if (result.done || this.closed) return
      this.dirty = true
      this.schedule(COALESCE_MS)
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer === null && !this.closed) this.timer = setTimeout(() => void this.recompute(), delayMs)
  }

  private async recompute(): Promise<void> {
    this.timer = null
    if (this.running || this.closed) return // the run in flight reschedules when it sees `dirty`
    this.running = true
    this.dirty = false
    try {
      const next = await this.source.compute()
      if (!this.closed) this.deliver(next)
    } catch (error) {
      this.failAll(error)
    } finally {
      this.running = false
      if (this.dirty) this.schedule(COALESCE_MS)
    }
  }

  private deliver(next: S): void {
    const previous = this.current
    const change = previous === null ? null : this.source.change(previous, next)
    this.current = next
    this.firstPushes = new Map()
    if (change !== null) {
      const updates = new Map<string, P>()
      for (const subscriber of this.subscribers) {
        const zone = subscriber.timeZone
        subscriber.queue.push(once(updates, zone, () => this.source.updatePush(next, change, zone)))
      }
    }
    for (const subscriber of this.awaitingFirst) {
      subscriber.queue.push(this.firstPush(next, subscriber.timeZone))
      this.subscribers.add(subscriber)
    }
    this.awaitingFirst.clear()
  }

  private firstPush(state: S, timeZone: string): P {
    return once(this.firstPushes, timeZone, () => this.source.firstPush(state, timeZone))
  }

  private failAll(error: unknown): void {
    this.services.logger.warn({ err: error, calendarId: this.source.calendarId }, 'live availability stopped')
    for (const subscriber of [...this.subscribers, ...this.awaitingFirst]) subscriber.queue.fail(error)
    this.close()
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    if (this.timer !== null) clearTimeout(this.timer)
    void this.events.return?.()
    this.onClose()
  }
}

function once<P>(cache: Map<string, P>, zone: string, render: () => P): P {
  let push = cache.get(zone)
  if (push === undefined) cache.set(zone, (push = render()))
  return push
}
