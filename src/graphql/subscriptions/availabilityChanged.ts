import { Repeater } from 'graphql-yoga'
import type { Services } from '../../app/services.ts'
import { diffSlots, getAvailability, type Availability } from '../../scheduling/availabilityService.ts'
import { builder } from '../builder.ts'
import { AvailabilityRef, type AvailabilityPayload } from '../types/Availability.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'

// Bursts (a sync run writing many slots, a booking touching several members) become one recomputation.
export const AVAILABILITY_DEBOUNCE_MS = 50

export interface LiveAvailabilityOptions<A, P> {
  /** Computes the current answer; throwing ends the stream with that error. */
  compute: () => Promise<A>
  /** The first push. */
  initial: (current: A) => P
  /** The push for a recomputation, or null when nothing the subscriber sees changed. */
  change: (previous: A, next: A) => P | null
  /** Runs once when the stream ends (or fails to start). */
  onEnd?: () => void
}

/**
 * Live availability of one CRM calendar: the first push, then one push per change that alters what the subscriber
 * sees. Both availabilityChanged (staff) and publicAvailabilityChanged (invitees) run on this one mechanism.
 */
export async function liveAvailability<A, P>(
  services: Pick<Services, 'pubsub' | 'logger'>,
  calendarId: string,
  options: LiveAvailabilityOptions<A, P>,
): Promise<Repeater<P>> {
  const { compute } = options
  const onEnd = once(options.onEnd)
  // Listen before the first computation so that nothing changing in between is missed. Repeaters are lazy: the
  // first next() registers the listener.
  const events = services.pubsub.subscribe('availabilityChanged', calendarId)[Symbol.asyncIterator]()
  let onEvent: () => void = () => {
    changedBeforeStart = true
  }
  let changedBeforeStart = false
  void (async () => {
    for (;;) {
      const result = await events.next()
      if (result.done) return
      onEvent()
    }
  })()

  let initial: A
  try {
    initial = await compute() // also authorizes: the caller's compute only finds what the caller may see
  } catch (error) {
    await events.return?.()
    onEnd()
    throw error
  }

  return new Repeater<P>(async (push, stop) => {
    let previous = initial
    let timer: NodeJS.Timeout | null = null
    let running = false
    let again = false
    const recompute = async () => {
      timer = null
      if (running) {
        again = true
        return
      }
      running = true
      try {
        const next = await compute()
        const payload = options.change(previous, next)
        if (payload !== null) {
          previous = next
          await push(payload)
        }
      } catch (error) {
        services.logger.warn({ err: error, calendarId }, 'availability subscription stopped')
        stop(error)
      } finally {
        running = false
        if (again) {
          again = false
          schedule()
        }
      }
    }
    const schedule = () => {
      if (timer === null) timer = setTimeout(() => void recompute(), AVAILABILITY_DEBOUNCE_MS)
    }

    await push(options.initial(initial))
    onEvent = schedule
    if (changedBeforeStart) schedule()
    await stop
    if (timer !== null) clearTimeout(timer)
    await events.return?.()
    onEnd()
  })
}

function once(run: (() => void) | undefined): () => void {
  let done = false
  return () => {
    if (done) return
    done = true
    run?.()
  }
}

builder.subscriptionField('availabilityChanged', (t) =>
  t.field({
    type: AvailabilityRef,
    description:
      'Live availability: the first push is the current availability; then a push with the full slot list and ' +
      '`added`/`removed` whenever a blocked slot, appointment, working hour, override, member or setting change ' +
      'alters the slots (from this process or, with Redis, any other).',
    args: {
      calendarId: t.arg.globalID({ required: true, for: CrmCalendarRef }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      timeZone: t.arg({ type: 'TimeZone', required: true }),
    },
    subscribe: (_root, args, context) => {
      const { services, viewer } = context
      return liveAvailability<Availability, AvailabilityPayload>(services, args.calendarId.id, {
        // Only calendars of the viewer's subaccount are found.
        compute: () =>
          getAvailability(services, args.calendarId.id, { from: args.from, to: args.to }, args.timeZone, {
            subaccountId: viewer.subaccountId,
          }),
        initial: (current) => ({ ...current, added: null, removed: null }),
        change: (previous, next) => {
          const { added, removed } = diffSlots(previous.slots, next.slots)
          const staleChanged =
            JSON.stringify(next.staleMembers) !== JSON.stringify(previous.staleMembers) || next.stale !== previous.stale
          return added.length > 0 || removed.length > 0 || staleChanged ? { ...next, added, removed } : null
        },
      })
    },
    resolve: (payload) => payload,
  }),
)
