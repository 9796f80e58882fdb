// A live availability stream computed for one subscriber: used by publicAvailabilityChanged (invitees), whose
// answers are per published calendar and render no member data. Staff subscriptions share feeds instead
// (src/realtime/liveAvailability.ts).
import { Repeater } from 'graphql-yoga'
import type { Services } from '../../app/services.ts'

// Bursts (a sync run writing many slots, a booking touching several members) become one recomputation.
const AVAILABILITY_DEBOUNCE_MS = 50

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
 * sees.
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
