import { publicBookingByToken, type ManagedBooking, type PublicBooking } from '../../publicBooking/publicBookings.ts'
import { builder } from '../builder.ts'
import { PublicCalendarRef } from './PublicCalendar.ts'

const PublicBookingStatusEnum = builder.enumType('PublicBookingStatus', {
  values: { BOOKED: {}, CANCELLED: {} } as const,
})

export const PublicBookingRef = builder.objectRef<PublicBooking>('PublicBooking').implement({
  description: 'A booking as its invitee sees it (manage page).',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', resolve: (b) => b.start }),
    end: t.field({ type: 'DateTime', resolve: (b) => b.end }),
    status: t.field({ type: PublicBookingStatusEnum, resolve: (b) => b.status }),
    inviteeName: t.exposeString('inviteeName'),
    inviteeEmail: t.exposeString('inviteeEmail', { description: 'The invitee’s own address, as they entered it.' }),
    calendar: t.field({ type: PublicCalendarRef, resolve: (b) => b.calendar }),
  }),
})

/** A success type carrying the booking and its manage token (booking and rescheduling). */
export const managedBookingType = (name: string) =>
  builder.objectRef<ManagedBooking>(name).implement({
    fields: (t) => ({
      booking: t.field({ type: PublicBookingRef, resolve: (r) => r.booking }),
      manageToken: t.exposeString('manageToken', {
        description:
          'Signed link secret for the manage page (/book/manage/<token>): view, reschedule or cancel without an ' +
          'account. Keep it like a password; it expires 30 days after the appointment.',
      }),
    }),
  })

builder.queryField('publicBooking', (t) =>
  t.field({
    type: PublicBookingRef,
    nullable: true,
    description: 'The booking behind a manage token (manage page); null when the token is invalid.',
    args: { manageToken: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => publicBookingByToken(context.services, args.manageToken),
  }),
)
