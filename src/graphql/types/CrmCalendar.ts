import { z } from 'zod'
import { publicBookingPath } from '../../publicBooking/publicCalendar.ts'
import { builder } from '../builder.ts'
import { appointmentsCost, listOf, listSizes } from '../cost.ts'
import './Appointment.ts'
import { CrmCalendarTypeEnum } from './enums.ts'

export const CrmCalendarRef = builder.prismaNode('CrmCalendar', {
  id: { field: 'id' },
  description: 'A bookable CRM calendar: service, round robin, collective or class booking.',
  authScopes: (calendar) => ({ subaccount: calendar.subaccountId }),
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.expose('type', { type: CrmCalendarTypeEnum }),
    timeZone: t.expose('timeZone', { type: 'TimeZone', description: 'Slot starts align to this zone.' }),
    slotDurationMinutes: t.exposeInt('slotDurationMinutes'),
    slotIntervalMinutes: t.exposeInt('slotIntervalMinutes', { description: 'Minutes between slot starts.' }),
    bufferBeforeMinutes: t.exposeInt('bufferBeforeMinutes'),
    bufferAfterMinutes: t.exposeInt('bufferAfterMinutes'),
    minNoticeMinutes: t.exposeInt('minNoticeMinutes', {
      description: 'How soon before its start a slot can be booked.',
    }),
    bookingWindowDays: t.exposeInt('bookingWindowDays', { description: 'How many days ahead slots are offered.' }),
    maxBookingsPerDayPerMember: t.exposeInt('maxBookingsPerDayPerMember', { nullable: true }),
    seatsPerSlot: t.exposeInt('seatsPerSlot', { nullable: true, description: 'Class booking capacity.' }),
    description: t.exposeString('description', { nullable: true, description: 'Shown to invitees.' }),
    published: t.exposeBoolean('published', {
      description: 'Bookable without a token on the public path (see publishCrmCalendar).',
    }),
    slug: t.exposeString('slug', {
      nullable: true,
      description: 'Part of the public address, unique in the subaccount.',
    }),
    publicUrl: t.string({
      nullable: true,
      description: 'Path of the booking widget, `/book/<subaccountSlug>/<calendarSlug>`, while published.',
      select: { slug: true, published: true, subaccount: { select: { slug: true } } },
      resolve: (calendar) =>
        calendar.published && calendar.slug ? publicBookingPath(calendar.subaccount.slug, calendar.slug) : null,
    }),
    members: t.relation('members', {
      complexity: listOf(listSizes.calendarMembers),
      query: { orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }] },
    }),
    appointments: t.relation('appointments', {
      description: 'Appointments starting in [from, to) (at most 366 days), by start.',
      complexity: appointmentsCost,
      args: {
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        includeCancelled: t.arg.boolean({ required: false, defaultValue: false }),
      },
      validate: z
        .object({ from: z.date(), to: z.date() })
        .refine((a) => a.from < a.to && a.to.getTime() - a.from.getTime() <= 366 * 86_400_000, {
          message: '`from` must be before `to`, at most 366 days apart',
          path: ['to'],
        }),
      query: (args) => ({
        where: {
          start: { gte: args.from, lt: args.to },
          ...(args.includeCancelled ? {} : { status: 'BOOKED' as const }),
        },
        orderBy: [{ start: 'asc' }, { id: 'asc' }],
        take: 2000,
      }),
    }),
  }),
})

export const CrmCalendarMemberRef = builder.prismaNode('CrmCalendarMember', {
  id: { field: 'id' },
  description: 'A user who can be booked on a CRM calendar, with their working hours.',
  authScopes: async (member, context) =>
    (await context.services.prisma.crmCalendar.count({
      where: { id: member.calendarId, subaccountId: context.viewer.subaccountId },
    })) > 0,
  fields: (t) => ({
    calendar: t.relation('calendar'),
    user: t.relation('user'),
    priority: t.exposeInt('priority', { description: 'Higher is preferred by round robin.' }),
    timeZone: t.expose('timeZone', { type: 'TimeZone', description: 'Working hours are wall-clock times here.' }),
    workingHours: t.relation('workingHours', {
      complexity: listOf(listSizes.workingHoursRules),
      query: { orderBy: [{ weekday: 'asc' }, { startMinute: 'asc' }] },
    }),
    dateOverrides: t.relation('dateOverrides', {
      complexity: listOf(listSizes.dateOverrides),
      query: { orderBy: [{ date: 'asc' }, { startMinute: 'asc' }] },
    }),
  }),
})

builder.prismaObject('WorkingHoursRule', {
  description: 'Weekly working hours: ISO weekday (1 = Monday) and minutes from local midnight.',
  fields: (t) => ({
    weekday: t.exposeInt('weekday'),
    startMinute: t.exposeInt('startMinute'),
    endMinute: t.exposeInt('endMinute'),
  }),
})

builder.prismaObject('DateOverride', {
  description: 'Hours on one local date that replace the weekly rules; no minutes means closed.',
  fields: (t) => ({
    date: t.exposeString('date', { description: 'YYYY-MM-DD in the member time zone.' }),
    startMinute: t.exposeInt('startMinute', { nullable: true }),
    endMinute: t.exposeInt('endMinute', { nullable: true }),
  }),
})

builder.queryField('crmCalendar', (t) =>
  t.prismaField({
    type: 'CrmCalendar',
    nullable: true,
    description: 'One CRM calendar of the viewer subaccount.',
    args: { id: t.arg.globalID({ required: true, for: CrmCalendarRef }) },
    resolve: (query, _root, args, context) =>
      context.services.prisma.crmCalendar.findFirst({
        ...query,
        where: { id: args.id.id, subaccountId: context.viewer.subaccountId },
      }),
  }),
)
