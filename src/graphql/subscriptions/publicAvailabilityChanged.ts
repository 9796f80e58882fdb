import {
  getPublicAvailability,
  publicSlotsDiffer,
  type PublicAvailability,
} from '../../publicBooking/publicAvailability.ts'
import { requirePublishedCalendar } from '../../publicBooking/publicCalendar.ts'
import { builder } from '../builder.ts'
import { consumePublicQuota } from '../publicQuota.ts'
import { publicAvailabilityArgs, PublicAvailabilityRef } from '../types/PublicAvailability.ts'
import { liveAvailability } from './availabilityStream.ts'

builder.subscriptionField('publicAvailabilityChanged', (t) =>
  t.field({
    type: PublicAvailabilityRef,
    description:
      'Live slots of a published calendar for the booking widget, no token needed: the first push is the current ' +
      'availability, then the full slot list whenever it changes. Ends with CALENDAR_NOT_FOUND when the calendar ' +
      'is unpublished. Live subscriptions per address are capped (RATE_LIMITED).',
    args: publicAvailabilityArgs,
    subscribe: async (_root, args, context) => {
      const { services, publicClient } = context
      await consumePublicQuota(context, { calendar: args })
      const { calendar } = await requirePublishedCalendar(services, args.subaccountSlug, args.calendarSlug)
      const release = publicClient ? services.publicLimits.acquireSubscription(publicClient.ip) : undefined
      return liveAvailability<PublicAvailability, PublicAvailability>(services, calendar.id, {
        compute: () => getPublicAvailability(services, args, { from: args.from, to: args.to }, args.timeZone),
        initial: (current) => current,
        change: (previous, next) => (publicSlotsDiffer(previous, next) ? next : null),
        onEnd: release,
      })
    },
    resolve: (payload) => payload,
  }),
)
