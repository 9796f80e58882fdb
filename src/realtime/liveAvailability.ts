// Live availability shared by every subscriber of the same (calendar, range) in this process: one pub/sub listener
// and one computation per change (a burst of changes is one computation), the diff taken once in UTC and rendered
// once per time zone. A new subscriber's first push is the shared state when no change is pending, so subscribing
// costs no computation while the feed is current.
import type { Services } from '../app/services.ts'
import {
  computeAvailability,
  diffSlots,
  renderAvailability,
  renderSlots,
  type Availability,
  type AvailabilityRange,
  type ComputedAvailability,
  type RenderedSlot,
} from '../scheduling/availabilityService.ts'
import type { Slot } from '../scheduling/slots.ts'
import { SubscriberQueue } from './subscriberQueue.ts'

/** What a push carries: the availability in the subscriber's zone, plus the diff since its previous push. */
export type LiveAvailabilityPush = Availability & { added: RenderedSlot[] | null; removed: RenderedSlot[] | null }

export interface LiveAvailabilityRequest {
  calendarId: string
  /** The viewer's subaccount: feeds are never shared across subaccounts. */
  subaccountId: string
  range: AvailabilityRange
  timeZone: string
}

type HubServices = Pick<Services, 'prisma' | 'config' | 'busyTimeCache' | 'pubsub' | 'logger'>

interface Subscriber {
  timeZone: string
  queue: SubscriberQueue<LiveAvailabilityPush>
}

/** Bursts (a sync run writing many slots, a booking touching several members) become one recomputation. */
const AVAILABILITY_COALESCE_MS = 50

class SharedFeed {
  readonly subscribers = new Set<Subscriber>()
  /** Subscribers whose first push waits for the computation in flight or pending. */
  readonly awaitingFirst = new Set<Subscriber>()
  current: ComputedAvailability | null = null
  /** A change arrived that `current` does not reflect yet. */
  dirty = true
  private running = false
  private timer: NodeJS.Timeout | null = null
  private closed = false
  private readonly events: AsyncIterator<unknown>

  constructor(
    private readonly hub: LiveAvailabilityHub,
    readonly key: string,
    private readonly request: Omit<LiveAvailabilityRequest, 'timeZone'>,
  ) {
    // Listen before the first computation so that nothing changing in between is missed.
    this.events = hub.services.pubsub.subscribe('availabilityChanged', request.calendarId)[Symbol.asyncIterator]()
    void this.listen()
    this.schedule(0)
  }

  isCurrent(): boolean {
    return this.current !== null && !this.dirty && !this.running
  }

  remove(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber)
    this.awaitingFirst.delete(subscriber)
    if (this.subscribers.size === 0 && this.awaitingFirst.size === 0) this.close()
  }

  private async listen(): Promise<void> {
    for (;;) {
      const result = await this.events.next()
      if (result.done || this.closed) return
      this.dirty = true
      this.schedule(AVAILABILITY_COALESCE_MS)
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
      const next = await this.hub.compute(this.request)
      if (!this.closed) this.deliver(next)
    } catch (error) {
      this.failAll(error)
    } finally {
      this.running = false
      if (this.dirty) this.schedule(AVAILABILITY_COALESCE_MS)
    }
  }

  private deliver(next: ComputedAvailability): void {
    const previous = this.current
    this.current = next
    const diff = previous ? diffSlots(previous.slots, next.slots) : null
    const changed =
      diff !== null &&
      (diff.added.length > 0 ||
        diff.removed.length > 0 ||
        next.stale !== previous!.stale ||
        JSON.stringify(next.staleMembers) !== JSON.stringify(previous!.staleMembers))
    const firsts = new Map<string, LiveAvailabilityPush>()
    const updates = new Map<string, LiveAvailabilityPush>()
    for (const subscriber of this.awaitingFirst) {
      subscriber.queue.push(cachedRender(firsts, subscriber.timeZone, () => firstPush(next, subscriber.timeZone)))
      this.subscribers.add(subscriber)
    }
    if (changed) {
      for (const subscriber of this.subscribers) {
        if (this.awaitingFirst.has(subscriber)) continue
        const zone = subscriber.timeZone
        subscriber.queue.push(cachedRender(updates, zone, () => updatePush(next, diff, zone)))
      }
    }
    this.awaitingFirst.clear()
  }

  private failAll(error: unknown): void {
    this.hub.services.logger.warn({ err: error, calendarId: this.request.calendarId }, 'live availability stopped')
    for (const subscriber of [...this.subscribers, ...this.awaitingFirst]) subscriber.queue.fail(error)
    this.close()
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    if (this.timer !== null) clearTimeout(this.timer)
    void this.events.return?.()
    this.hub.forget(this)
  }
}

function cachedRender(
  cache: Map<string, LiveAvailabilityPush>,
  zone: string,
  render: () => LiveAvailabilityPush,
): LiveAvailabilityPush {
  let push = cache.get(zone)
  if (push === undefined) cache.set(zone, (push = render()))
  return push
}

function firstPush(state: ComputedAvailability, timeZone: string): LiveAvailabilityPush {
  return { ...renderAvailability(state, timeZone), added: null, removed: null }
}

function updatePush(
  state: ComputedAvailability,
  diff: { added: Slot[]; removed: Slot[] },
  timeZone: string,
): LiveAvailabilityPush {
  return {
    ...renderAvailability(state, timeZone),
    added: renderSlots(diff.added, timeZone),
    removed: renderSlots(diff.removed, timeZone),
  }
}

export interface LiveAvailabilityStats {
  /** Availability computations run for live feeds since the process started. */
  computations: number
  feeds: number
  subscribers: number
}

export class LiveAvailabilityHub {
  private readonly feeds = new Map<string, SharedFeed>()
  private computations = 0

  constructor(readonly services: HubServices) {}

  /**
   * Opens a subscriber's stream. Resolves once its first push is known (so a calendar outside the subaccount or bad
   * input fails here, before any push); the stream then carries every change until the caller returns it.
   */
  async open(request: LiveAvailabilityRequest): Promise<AsyncIterableIterator<LiveAvailabilityPush>> {
    const key = feedKey(request)
    let feed = this.feeds.get(key)
    if (feed === undefined) this.feeds.set(key, (feed = new SharedFeed(this, key, request)))
    const owner = feed
    const subscriber: Subscriber = {
      timeZone: request.timeZone,
      queue: new SubscriberQueue(() => owner.remove(subscriber)),
    }
    if (feed.isCurrent()) {
      subscriber.queue.push(firstPush(feed.current!, request.timeZone))
      feed.subscribers.add(subscriber)
    } else feed.awaitingFirst.add(subscriber)
    const first = await subscriber.queue.next()
    if (first.done) throw new Error('subscription closed before its first push')
    return prepend(first.value, subscriber.queue)
  }

  stats(): LiveAvailabilityStats {
    let subscribers = 0
    for (const feed of this.feeds.values()) subscribers += feed.subscribers.size + feed.awaitingFirst.size
    return { computations: this.computations, feeds: this.feeds.size, subscribers }
  }

  /** @internal the feed's one computation per change. */
  compute(request: Omit<LiveAvailabilityRequest, 'timeZone'>): Promise<ComputedAvailability> {
    this.computations++
    return computeAvailability(this.services, request.calendarId, request.range, {
      subaccountId: request.subaccountId,
    })
  }

  /** @internal */
  forget(feed: SharedFeed): void {
    if (this.feeds.get(feed.key) === feed) this.feeds.delete(feed.key)
  }
}

function feedKey(request: LiveAvailabilityRequest): string {
  return `${request.subaccountId}|${request.calendarId}|${request.range.from.getTime()}|${request.range.to.getTime()}`
}

/** The first push, already taken from the queue, followed by the rest of it. */
function prepend<T>(first: T, rest: SubscriberQueue<T>): AsyncIterableIterator<T> {
  let pending: T | null = first
  return {
    next: () => {
      if (pending === null) return rest.next()
      const value = pending
      pending = null
      return Promise.resolve({ value, done: false })
    },
    return: () => rest.return(),
    throw: (error: unknown) => rest.throw(error),
    [Symbol.asyncIterator]() {
      return this
    },
  }
}
