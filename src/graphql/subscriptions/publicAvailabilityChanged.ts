import type { Services } from '../../app/services.ts'
import type { PublicAvailability } from '../../publicBooking/publicAvailability.ts'
import { requirePublishedCalendar } from '../../publicBooking/publicCalendar.ts'
import { validateAvailabilityRange } from '../../scheduling/availabilityService.ts'
import { singleFlightPer } from '../../timing/singleFlight.ts'
import { builder } from '../builder.ts'
import { consumePublicQuota } from '../publicQuota.ts'
import { shareResults } from '../sharedResults.ts'
import { publicAvailabilityArgs, PublicAvailabilityRef } from '../types/PublicAvailability.ts'

/** Invitees opening the widget at the same moment share one look-up of the calendar (nothing is kept after it). */
const publishedCalendar = singleFlightPer((services: Services, slugs: string) => {
  const [subaccountSlug, calendarSlug] = JSON.parse(slugs) as [string, string]
  return requirePublishedCalendar(services, subaccountSlug, calendarSlug)
})

builder.subscriptionField('publicAvailabilityChanged', (t) =>
  t.field({
    type: PublicAvailabilityRef,
    description:
      'Live slots of a published calendar for the booking widget, no token needed: the first push is the current ' +
      'availability, then the full slot list whenever it changes. Ends with CALENDAR_NOT_FOUND when the calendar ' +
      'is unpublished. Live subscriptions per address are capped (RATE_LIMITED).',
    args: publicAvailabilityArgs,
    // Invitees of the same calendar and range share one computation per change (src/realtime/liveAvailability.ts),
    // and one execution of each push per document and variables (../sharedResults.ts).
    subscribe: async (_root, args, context): Promise<AsyncIterable<PublicAvailability>> => {
      const { services, publicClient } = context
      await consumePublicQuota(context, { calendar: args })
      const slugs = { subaccountSlug: args.subaccountSlug, calendarSlug: args.calendarSlug }
      const range = { from: args.from, to: args.to }
      const calendarId =
        services.liveAvailability.currentPublicCalendar(slugs, range) ??
        (await publishedCalendar(services, JSON.stringify([slugs.subaccountSlug, slugs.calendarSlug]))).calendar.id
      const release = publicClient ? services.publicLimits.acquireSubscription(publicClient.ip) : () => {}
      try {
        validateAvailabilityRange(range, args.timeZone)
        const stream = await services.liveAvailability.openPublic({ calendarId, slugs, range, timeZone: args.timeZone })
        return shareResults(context, whenEnded(stream, release))
      } catch (error) {
        release()
        throw error
      }
    },
    resolve: (payload) => payload,
  }),
)

/**
 * `stream`, calling `onEnd` once when it ends however it does. Wrapped by hand, not by an async generator: a
 * generator waiting for the next push could not pass the client's unsubscribe (`return`) on until that push came.
 */
function whenEnded<T>(stream: AsyncIterableIterator<T>, onEnd: () => void): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next: async () => {
      try {
        const result = await stream.next()
        if (result.done) onEnd()
        return result
      } catch (error) {
        onEnd()
        throw error
      }
    },
    return: async () => {
      onEnd()
      return stream.return?.() ?? { done: true, value: undefined }
    },
    throw: async (error?: unknown) => {
      onEnd()
      if (!stream.throw) throw error
      return stream.throw(error)
    },
    [Symbol.asyncIterator]: () => iterator,
  }
  return iterator
}
