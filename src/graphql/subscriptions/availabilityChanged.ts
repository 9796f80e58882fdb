import { Repeater } from 'graphql-yoga'
import { diffSlots, getAvailability, type Availability } from '../../scheduling/availabilityService.ts'
import { keepAttention, noteAttention } from '../../scheduling/attention.ts'
import { builder } from '../builder.ts'
import { AvailabilityRef, type AvailabilityPayload } from '../types/Availability.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'

// Bursts (a sync run writing many slots, a booking touching several members) become one recomputation.
export const AVAILABILITY_DEBOUNCE_MS = 50

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
    subscribe: async (_root, args, context) => {
      const { services, viewer } = context
      const compute = () =>
        getAvailability(services, args.calendarId.id, { from: args.from, to: args.to }, args.timeZone, {
          subaccountId: viewer.subaccountId,
        })

      // Listen before the first computation so that nothing changing in between is missed. Repeaters are lazy: the
      // first next() registers the listener.
      const events = services.pubsub.subscribe('availabilityChanged', args.calendarId.id)[Symbol.asyncIterator]()
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

      let initial: Availability
      try {
        initial = await compute() // also authorizes: only calendars of the viewer's subaccount are found
      } catch (error) {
        await events.return?.()
        throw error
      }

      return new Repeater<AvailabilityPayload>(async (push, stop) => {
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
            const { added, removed } = diffSlots(previous.slots, next.slots)
            const staleChanged =
              JSON.stringify(next.staleMembers) !== JSON.stringify(previous.staleMembers) ||
              next.stale !== previous.stale
            if (added.length > 0 || removed.length > 0 || staleChanged) {
              previous = next
              await push({ ...next, added, removed })
            }
          } catch (error) {
            services.logger.warn({ err: error, calendarId: args.calendarId.id }, 'availability subscription stopped')
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

        noteAttention(services, args.calendarId.id)
        const stopAttention = keepAttention(services, args.calendarId.id)
        await push({ ...initial, added: null, removed: null })
        onEvent = schedule
        if (changedBeforeStart) schedule()
        await stop
        stopAttention()
        if (timer !== null) clearTimeout(timer)
        await events.return?.()
      })
    },
    resolve: (payload) => payload,
  }),
)
