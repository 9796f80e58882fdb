import { InvalidInputError } from '../../errors.ts'
import { z } from 'zod'
import { cancelBookingByToken, type PublicBooking } from '../../publicBooking/publicBookings.ts'
import { builder } from '../builder.ts'
import { consumePublicQuota } from '../publicQuota.ts'
import { PublicBookingRef } from '../types/PublicBooking.ts'
import { InvalidManageTokenError } from '../types/PublicBookingErrors.ts'
import { directResult } from '../errors.ts'

const CancelBookingInput = builder.inputType('CancelBookingInput', {
  fields: (t) => ({
    manageToken: t.string({ required: true }),
    reason: t.string({ required: false, validate: z.string().max(1000) }),
  }),
})

const CancelBookingSuccess = builder.objectRef<{ booking: PublicBooking }>('CancelBookingSuccess').implement({
  fields: (t) => ({ booking: t.field({ type: PublicBookingRef, resolve: (r) => r.booking }) }),
})

builder.mutationField('cancelBooking', (t) =>
  t.field({
    type: CancelBookingSuccess,
    description:
      'The invitee cancels with the manage token from their confirmation (no account). Cancelling again returns the ' +
      'cancelled booking. The event is removed from the host’s iCloud calendar.',
    errors: directResult('CancelBooking', [InvalidManageTokenError, InvalidInputError]),
    args: { input: t.arg({ type: CancelBookingInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await consumePublicQuota(context, { booking: true })
      const booking = await cancelBookingByToken(context.services, input.manageToken, input.reason ?? null)
      return { booking }
    },
  }),
)
