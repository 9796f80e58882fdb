import { findPublishedCalendar, type PublicCalendar } from '../../publicBooking/publicCalendar.ts'
import { builder } from '../builder.ts'
import { consumePublicQuota } from '../publicQuota.ts'

export const PublicCalendarRef = builder.objectRef<PublicCalendar>('PublicCalendar').implement({
  description: 'What invitees see of a published CRM calendar. No member, event or blocked-slot data.',
  fields: (t) => ({
    subaccountSlug: t.exposeString('subaccountSlug'),
    calendarSlug: t.exposeString('calendarSlug'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    subaccountName: t.exposeString('subaccountName', { description: 'The business the invitee books with.' }),
    durationMinutes: t.exposeInt('durationMinutes'),
    timeZone: t.expose('timeZone', { type: 'TimeZone', description: 'The zone the calendar’s slots align to.' }),
    bookingWindowDays: t.exposeInt('bookingWindowDays', { description: 'How many days ahead slots are offered.' }),
    minimumNoticeMinutes: t.exposeInt('minimumNoticeMinutes', {
      description: 'How soon before its start a slot can still be booked.',
    }),
    seats: t.exposeInt('seats', { nullable: true, description: 'Class booking only: seats per slot.' }),
  }),
})

builder.queryField('publicCalendar', (t) =>
  t.field({
    type: PublicCalendarRef,
    nullable: true,
    description: 'Published calendar, or null when missing OR unpublished (same answer). No token needed.',
    args: {
      subaccountSlug: t.arg.string({ required: true }),
      calendarSlug: t.arg.string({ required: true }),
    },
    resolve: async (_root, args, context) => {
      await consumePublicQuota(context, { calendar: args })
      const found = await findPublishedCalendar(context.services, args.subaccountSlug, args.calendarSlug)
      return found?.public ?? null
    },
  }),
)
