import {
  getPublicAvailability,
  type PublicAvailability,
  type PublicSlot,
} from '../../publicBooking/publicAvailability.ts'
import { builder } from '../builder.ts'
import { consumePublicQuota } from '../publicQuota.ts'
import { slotFields } from './slotFields.ts'

const PublicSlotRef = builder.objectRef<PublicSlot>('PublicSlot').implement({
  description: 'A bookable start time. Pass `start` to bookPublicSlot.',
  fields: (t) => slotFields(t),
})

export const PublicAvailabilityRef = builder.objectRef<PublicAvailability>('PublicAvailability').implement({
  description: 'Open slots of a published calendar: times only, never who is free or why a time is busy.',
  fields: (t) => ({
    timeZone: t.field({ type: 'TimeZone', resolve: (a) => a.timeZone }),
    from: t.field({ type: 'DateTime', resolve: (a) => a.from }),
    to: t.field({ type: 'DateTime', resolve: (a) => a.to }),
    slots: t.field({
      type: [PublicSlotRef],
      description: 'Slots starting in [from, to), by start.',
      resolve: (a) => a.slots,
    }),
    generatedAt: t.field({ type: 'DateTime', resolve: (a) => a.generatedAt }),
  }),
})

/** Arguments of publicAvailability and publicAvailabilityChanged. */
export const publicAvailabilityArgs = builder.args((t) => ({
  subaccountSlug: t.string({ required: true }),
  calendarSlug: t.string({ required: true }),
  from: t.field({ type: 'DateTime', required: true }),
  to: t.field({ type: 'DateTime', required: true }),
  timeZone: t.field({ type: 'TimeZone', required: true }),
}))

builder.queryField('publicAvailability', (t) =>
  t.field({
    type: PublicAvailabilityRef,
    description:
      'Bookable slots of a published calendar with a start in [from, to) (at most 62 days), rendered in `timeZone`. ' +
      'No token needed. A missing or unpublished calendar is the error CALENDAR_NOT_FOUND.',
    args: publicAvailabilityArgs,
    resolve: async (_root, args, context) => {
      await consumePublicQuota(context, { calendar: args })
      return getPublicAvailability(context.services, args, { from: args.from, to: args.to }, args.timeZone)
    },
  }),
)
