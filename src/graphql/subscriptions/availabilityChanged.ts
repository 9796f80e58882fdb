import { validateAvailabilityRange } from '../../scheduling/availabilityService.ts'
import { keepAttention, noteAttention } from '../../scheduling/attention.ts'
import type { Services } from '../../app/services.ts'
import { builder } from '../builder.ts'
import { AvailabilityRef, type AvailabilityPayload } from '../types/Availability.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'

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
    // Subscribers of the same calendar and range share one computation per change (src/realtime/liveAvailability.ts).
    subscribe: async (_root, args, { services, viewer }): Promise<AsyncIterable<AvailabilityPayload>> => {
      const range = { from: args.from, to: args.to }
      validateAvailabilityRange(range, args.timeZone)
      noteAttention(services, args.calendarId.id)
      const stream = await services.liveAvailability.open({
        calendarId: args.calendarId.id,
        subaccountId: viewer.subaccountId,
        range,
        timeZone: args.timeZone,
      })
      return withAttention(services, args.calendarId.id, stream)
    },
    resolve: (payload) => payload,
  }),
)

/**
 * While the subscription is open its members count as looked at: their iCloud calendars are polled more often. The
 * iterator is wrapped by hand, not by an async generator: a generator waiting for the next push could not pass the
 * client's unsubscribe (`return`) on to the shared feed until that push came.
 */
function withAttention<T>(
  services: Pick<Services, 'prisma' | 'config' | 'logger'>,
  calendarId: string,
  stream: AsyncIterableIterator<T>,
): AsyncIterableIterator<T> {
  const stopAttention = keepAttention(services, calendarId)
  const iterator: AsyncIterableIterator<T> = {
    next: async () => {
      try {
        const result = await stream.next()
        if (result.done) stopAttention()
        return result
      } catch (error) {
        stopAttention()
        throw error
      }
    },
    return: async (value?: unknown) => {
      stopAttention()
      return (await stream.return?.(value)) ?? { done: true, value: undefined }
    },
    throw: async (error?: unknown) => {
      stopAttention()
      if (!stream.throw) throw error
      return stream.throw(error)
    },
    [Symbol.asyncIterator]: () => iterator,
  }
  return iterator
}
