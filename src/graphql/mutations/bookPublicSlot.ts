import { InvalidInputError } from '../../errors.ts'
import { z } from 'zod'
import { bookPublicSlot } from '../../publicBooking/publicBookings.ts'
import { builder } from '../builder.ts'
import { consumePublicQuota } from '../publicQuota.ts'
import { managedBookingType } from '../types/PublicBooking.ts'
import { PublicCalendarNotFoundError } from '../types/PublicBookingErrors.ts'
import { CalendarNotBookableError, OutsideBookingWindowError, SlotUnavailableError } from '../types/SchedulingErrors.ts'
import { directResult } from '../errors.ts'

const BookPublicSlotInput = builder.inputType('BookPublicSlotInput', {
  description: 'An invitee books a slot of a published calendar. A contact with this e-mail is made or reused.',
  fields: (t) => ({
    subaccountSlug: t.string({ required: true }),
    calendarSlug: t.string({ required: true }),
    start: t.field({ type: 'DateTime', required: true, description: 'A `PublicSlot.start` from publicAvailability.' }),
    timeZone: t.field({ type: 'TimeZone', required: true, description: 'The invitee’s zone (shown times).' }),
    name: t.string({ required: true, validate: z.string().trim().min(1).max(200) }),
    email: t.field({ type: 'EmailAddress', required: true }),
    phone: t.string({ required: false, validate: z.string().max(50) }),
    notes: t.string({ required: false, validate: z.string().max(5000) }),
    idempotencyKey: t.string({
      required: true,
      description: 'Made once per booking attempt by the widget (e.g. a UUID): a retry returns the same booking.',
      validate: z.string().min(8).max(200),
    }),
  }),
})

builder.mutationField('bookPublicSlot', (t) =>
  t.field({
    type: managedBookingType('BookPublicSlotSuccess'),
    description:
      'Books a slot of a published calendar without a token, with the same guarantees as bookAppointment (locks, ' +
      're-check, idempotency, write-back to iCloud). Rate-limited per address and per calendar.',
    errors: directResult('BookPublicSlot', [
      SlotUnavailableError,
      OutsideBookingWindowError,
      CalendarNotBookableError,
      PublicCalendarNotFoundError,
      InvalidInputError,
    ]),
    args: { input: t.arg({ type: BookPublicSlotInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await consumePublicQuota(context, { calendar: input, booking: true })
      return bookPublicSlot(context.services, input)
    },
  }),
)
