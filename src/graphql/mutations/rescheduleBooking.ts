import { InvalidInputError } from '../../errors.ts'
import { rescheduleBookingByToken } from '../../publicBooking/publicBookings.ts'
import { builder } from '../builder.ts'
import { consumePublicQuota } from '../publicQuota.ts'
import { managedBookingType } from '../types/PublicBooking.ts'
import { InvalidManageTokenError } from '../types/PublicBookingErrors.ts'
import {
  AppointmentCancelledError,
  OutsideBookingWindowError,
  SlotUnavailableError,
} from '../types/SchedulingErrors.ts'
import { directResult } from '../errors.ts'

const RescheduleBookingInput = builder.inputType('RescheduleBookingInput', {
  fields: (t) => ({
    manageToken: t.string({ required: true }),
    start: t.field({ type: 'DateTime', required: true, description: 'A `PublicSlot.start` from publicAvailability.' }),
  }),
})

builder.mutationField('rescheduleBooking', (t) =>
  t.field({
    type: managedBookingType('RescheduleBookingSuccess'),
    description:
      'The invitee moves their booking with the manage token (no account), re-checked like a new booking. The ' +
      'answer carries a fresh manage token; the old one keeps working until it expires.',
    errors: directResult('RescheduleBooking', [
      SlotUnavailableError,
      OutsideBookingWindowError,
      AppointmentCancelledError,
      InvalidManageTokenError,
      InvalidInputError,
    ]),
    args: { input: t.arg({ type: RescheduleBookingInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await consumePublicQuota(context, { booking: true })
      return rescheduleBookingByToken(context.services, input.manageToken, input.start)
    },
  }),
)
