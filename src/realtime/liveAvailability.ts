// Live availability on shared feeds (./sharedFeed.ts): staff subscribers of the same (subaccount, calendar, range)
// share one feed, and so do invitees of the same published calendar (slugs) and range. Each change is computed once
// per feed in UTC and rendered once per time zone.
import type { Services } from '../app/services.ts'
import { PublicCalendarNotFoundError } from '../publicBooking/errors.ts'
import {
  computePublicAvailability,
  publicSlotsDiffer,
  renderPublicAvailability,
  type PublicAvailability,
} from '../publicBooking/publicAvailability.ts'
import { keepAttention } from '../scheduling/attention.ts'
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
import { SharedFeed, type FeedSource } from './sharedFeed.ts'
import type { SubscriberQueue } from './subscriberQueue.ts'

/** What a push carries: the availability in the subscriber's zone, plus the diff since its previous push. */
export type LiveAvailabilityPush = Availability & { added: RenderedSlot[] | null; removed: RenderedSlot[] | null }

export interface LiveAvailabilityRequest {
  calendarId: string
  /** The viewer's subaccount: feeds are never shared across subaccounts. */
  subaccountId: string
  range: AvailabilityRange
  timeZone: string
}

export interface PublicLiveAvailabilityRequest {
  /** The published calendar the slugs resolved to when subscribing: its changes make the feed recompute. */
  calendarId: string
  slugs: { subaccountSlug: string; calendarSlug: string }
  range: AvailabilityRange
  timeZone: string
}

type HubServices = Pick<Services, 'prisma' | 'config' | 'busyTimeCache' | 'pubsub' | 'logger'>

export interface LiveAvailabilityStats {
  /** Availability computations run for live feeds since the process started. */
  computations: number
  feeds: number
  subscribers: number
}

export class LiveAvailabilityHub {
  private readonly feeds = new Map<string, SharedFeed<unknown, unknown, unknown>>()
  private computations = 0

  constructor(private readonly services: HubServices) {}

  /**
   * A staff subscriber's stream. Resolves once its first push is known (so a calendar outside the subaccount fails
   * here, before any push); the stream then carries every change until the caller returns it. While the feed is open
   * its calendar counts as looked at (src/scheduling/attention.ts).
   */
  open(request: LiveAvailabilityRequest): Promise<AsyncIterableIterator<LiveAvailabilityPush>> {
    const { calendarId, subaccountId, range } = request
    const key = `staff|${subaccountId}|${calendarId}|${rangeKey(range)}`
    return this.subscribe(key, request.timeZone, () => {
      const stopAttention = keepAttention(this.services, calendarId)
      const source = staffSource(request, () => {
        this.computations++
        return computeAvailability(this.services, calendarId, range, { subaccountId })
      })
      return { source, onClose: stopAttention }
    })
  }

  /**
   * The calendar of a current public feed of these slugs and range, or null. Such a feed resolved the slugs at its last
   * computation, and every change since (publishing, slugs) would have made it recompute: a newcomer needs no look-up.
   */
  currentPublicCalendar(slugs: PublicLiveAvailabilityRequest['slugs'], range: AvailabilityRange): string | null {
    const feed = this.feeds.get(publicKey(slugs, range))
    return feed?.isCurrent() ? feed.calendarId : null
  }

  /**
   * An invitee's stream of a published calendar. It ends with CALENDAR_NOT_FOUND once the slugs stop resolving to
   * that calendar (unpublished, renamed, or another calendar took them: subscribing again follows them).
   */
  openPublic(request: PublicLiveAvailabilityRequest): Promise<AsyncIterableIterator<PublicAvailability>> {
    const { calendarId, slugs, range } = request
    const key = publicKey(slugs, range)
    if (this.feeds.get(key)?.calendarId !== calendarId) this.feeds.delete(key) // it closes with its subscribers
    return this.subscribe(key, request.timeZone, () => {
      const source = publicSource(calendarId, async () => {
        this.computations++
        const computed = await computePublicAvailability(this.services, slugs, range)
        if (computed.calendarId !== calendarId) throw new PublicCalendarNotFoundError()
        return computed
      })
      return { source, onClose: () => {} }
    })
  }

  stats(): LiveAvailabilityStats {
    let subscribers = 0
    for (const feed of this.feeds.values()) subscribers += feed.size
    return { computations: this.computations, feeds: this.feeds.size, subscribers }
  }

  private async subscribe<S, C, P>(
    key: string,
    timeZone: string,
    create: () => { source: FeedSource<S, C, P>; onClose: () => void },
  ): Promise<AsyncIterableIterator<P>> {
    let feed = this.feeds.get(key) as SharedFeed<S, C, P> | undefined
    if (feed === undefined) {
      const { source, onClose } = create()
      const created: SharedFeed<S, C, P> = new SharedFeed(this.services, source, () => {
        onClose()
        if (this.feeds.get(key) === created) this.feeds.delete(key)
      })
      this.feeds.set(key, (feed = created) as SharedFeed<unknown, unknown, unknown>)
    }
    const queue = feed.subscribe(timeZone)
    const first = await queue.next()
    if (first.done) throw new Error('subscription closed before its first push')
    return prepend(first.value, queue)
  }
}

function rangeKey(range: AvailabilityRange): string {
  return `${range.from.getTime()}|${range.to.getTime()}`
}

function publicKey(slugs: PublicLiveAvailabilityRequest['slugs'], range: AvailabilityRange): string {
  return `public|${JSON.stringify([slugs.subaccountSlug, slugs.calendarSlug])}|${rangeKey(range)}`
}

interface SlotChange {
  added: Slot[]
  removed: Slot[]
}

function staffSource(
  request: LiveAvailabilityRequest,
  compute: () => Promise<ComputedAvailability>,
): FeedSource<ComputedAvailability, SlotChange, LiveAvailabilityPush> {
  return {
    calendarId: request.calendarId,
    compute,
    change: (previous, next) => {
      const diff = diffSlots(previous.slots, next.slots)
      const changed =
        diff.added.length > 0 ||
        diff.removed.length > 0 ||
        next.stale !== previous.stale ||
        JSON.stringify(next.staleMembers) !== JSON.stringify(previous.staleMembers)
      return changed ? diff : null
    },
    firstPush: (state, timeZone) => ({ ...renderAvailability(state, timeZone), added: null, removed: null }),
    updatePush: (state, diff, timeZone) => ({
      ...renderAvailability(state, timeZone),
      added: renderSlots(diff.added, timeZone),
      removed: renderSlots(diff.removed, timeZone),
    }),
  }
}

interface PublicState {
  computed: ComputedAvailability
  /** Rendered once in UTC to tell whether invitees see a difference (start, end and seats do not depend on zone). */
  inUtc: PublicAvailability
}

function publicSource(
  calendarId: string,
  compute: () => Promise<ComputedAvailability>,
): FeedSource<PublicState, true, PublicAvailability> {
  return {
    calendarId,
    compute: async () => {
      const computed = await compute()
      return { computed, inUtc: renderPublicAvailability(computed, 'UTC') }
    },
    change: (previous, next) => (publicSlotsDiffer(previous.inUtc, next.inUtc) ? true : null),
    firstPush: (state, timeZone) => renderPublicAvailability(state.computed, timeZone),
    updatePush: (state, _change, timeZone) => renderPublicAvailability(state.computed, timeZone),
  }
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
