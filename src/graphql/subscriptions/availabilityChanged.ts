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
  const end = <R>(result: Promise<R>) => result.finally(stopAttention)
  const iterator: AsyncIterableIterator<T> = {
    next: () =>
      stream.next().then(
        (result) => {
          if (result.done) stopAttention()
          return result
        },
        (error: unknown) => end(Promise.reject(error)),
      ),
    return: (value?: unknown) => end(stream.return?.(value) ?? Promise.resolve({ done: true, value: undefined })),
    throw: (error?: unknown) => end(stream.throw?.(error) ?? Promise.reject(error)),
    [Symbol.asyncIterator]: () => iterator,
  }
  return iterator
}
