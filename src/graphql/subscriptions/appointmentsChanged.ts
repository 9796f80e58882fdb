import { encodeGlobalID } from '@pothos/plugin-relay'
import { calendarFeed, userFeed } from '../../realtime/appointmentChanges.ts'
import type { AppointmentChangedEvent } from '../../realtime/pubsub.ts'
import { builder } from '../builder.ts'
import type { GraphQLContext } from '../context.ts'
import { InvalidInputError, NotFoundError } from '../../errors.ts'
import { AppointmentRef } from '../types/Appointment.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'
import { UserRef } from '../types/User.ts'

const AppointmentChangeKindEnum = builder.enumType('AppointmentChangeKind', {
  description: 'What happened to the appointment, and where.',
  values: {
    BOOKED: { description: 'Booked in the CRM.' },
    RESCHEDULED: { description: 'Moved in the CRM.' },
    CANCELLED: { description: 'Cancelled in the CRM.' },
    UPDATED_IN_ICLOUD: { description: 'A participant edited the event in iCloud; the appointment follows.' },
    REMOVED_IN_ICLOUD: { description: 'A participant deleted the event in iCloud; the appointment stays booked.' },
  } as const,
})

const AppointmentChangeRef = builder.objectRef<AppointmentChangedEvent>('AppointmentChange').implement({
  description: 'An appointment changed; `appointment` is read from the database when the change is delivered.',
  fields: (t) => ({
    kind: t.field({ type: AppointmentChangeKindEnum, resolve: (event) => event.kind }),
    appointmentId: t.id({ resolve: (event) => encodeGlobalID('Appointment', event.appointmentId) }),
    calendarId: t.id({
      description: 'Global ID of the CRM calendar.',
      resolve: (event) => encodeGlobalID('CrmCalendar', event.calendarId),
    }),
    at: t.field({ type: 'DateTime', resolve: (event) => event.at }),
    appointment: t.prismaField({
      type: AppointmentRef,
      nullable: true,
      description: 'The appointment as it is now (null if it no longer exists).',
      resolve: (query, event, _args, context) =>
        context.services.prisma.appointment.findFirst({
          ...query,
          where: { id: event.appointmentId, subaccountId: context.viewer.subaccountId },
        }),
    }),
  }),
})

async function feedFor(
  context: GraphQLContext,
  args: { calendarId?: { id: string } | null; userId?: { id: string } | null },
): Promise<string> {
  const { prisma } = context.services
  const subaccountId = context.viewer.subaccountId
  if (args.calendarId && !args.userId) {
    const calendar = await prisma.crmCalendar.findFirst({ where: { id: args.calendarId.id, subaccountId } })
    if (!calendar) throw new NotFoundError('A CRM calendar with this id')
    return calendarFeed(calendar.id)
  }
  if (args.userId && !args.calendarId) {
    const membership = await prisma.membership.findUnique({
      where: { userId_subaccountId: { userId: args.userId.id, subaccountId } },
    })
    if (!membership) throw new NotFoundError('A user with this id')
    return userFeed(membership.userId)
  }
  throw InvalidInputError.at(['calendarId'], 'Give exactly one of calendarId or userId.')
}

builder.subscriptionField('appointmentsChanged', (t) =>
  t.field({
    type: AppointmentChangeRef,
    description:
      'Live changes of the appointments of one CRM calendar (`calendarId`) or one user (`userId`, as a participant): ' +
      'bookings, reschedules, cancellations, and edits and removals made in iCloud, from any process (with Redis).',
    args: {
      calendarId: t.arg.globalID({ required: false, for: CrmCalendarRef }),
      userId: t.arg.globalID({ required: false, for: UserRef }),
    },
    subscribe: async (_root, args, context) =>
      context.services.pubsub.subscribe('appointmentsChanged', await feedFor(context, args)),
    resolve: (event) => event,
  }),
)
