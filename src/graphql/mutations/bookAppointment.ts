import { z } from 'zod'
import { bookAppointment } from '../../scheduling/booking.ts'
import { builder } from '../builder.ts'
import { textLimits } from '../inputText.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'
import { iCloudRecheckField, rememberICloudRecheck } from '../types/ICloudRecheck.ts'
import {
  CalendarNotBookableError,
  IdempotencyKeyReusedError,
  OutsideBookingWindowError,
  SlotUnavailableError,
} from '../types/SchedulingErrors.ts'

const BookingContactInput = builder.inputType('BookingContactInput', {
  description: 'Who books. An existing contact with this email (in the subaccount) is reused.',
  fields: (t) => ({
    name: t.string({ required: true, maxLength: textLimits.name, validate: z.string().trim().min(1) }),
    email: t.field({ type: 'EmailAddress', required: true }),
    phone: t.string({ required: false, maxLength: textLimits.phone }),
  }),
})

const BookAppointmentInput = builder.inputType('BookAppointmentInput', {
  fields: (t) => ({
    calendarId: t.globalID({ required: true, for: CrmCalendarRef }),
    start: t.field({ type: 'DateTime', required: true, description: 'A `Slot.start` from availability.' }),
    contact: t.field({ type: BookingContactInput, required: true }),
    idempotencyKey: t.string({
      required: false,
      description:
        'Unique per calendar: retrying with the same key returns the same appointment instead of booking twice.',
      maxLength: textLimits.key,
      validate: z.string().min(1),
    }),
    title: t.string({ required: false, maxLength: textLimits.title }),
    notes: t.string({ required: false, maxLength: textLimits.notes }),
  }),
})

builder.mutationField('bookAppointment', (t) =>
  t.prismaField({
    type: 'Appointment',
    description:
      'Books a slot. Re-checks availability in a transaction, so two requests for the last slot or seat cannot both ' +
      'succeed. Round robin assigns a free member (priority, then fewest recent bookings); collective includes all. ' +
      'Before that, the members’ iCloud conflict calendars are re-synced (short timeout; see `iCloudRecheck`), and ' +
      'the event is queued for their linked iCloud calendar (see `Appointment.writeBackState`).',
    errors: {
      ...mutationResult('BookAppointment', 'appointment', [
        SlotUnavailableError,
        OutsideBookingWindowError,
        CalendarNotBookableError,
        IdempotencyKeyReusedError,
      ]),
      result: {
        name: 'BookAppointmentSuccess',
        fields: (r) => ({
          iCloudRecheck: r.field(iCloudRecheckField('booking')),
        }),
      },
    },
    args: { input: t.arg({ type: BookAppointmentInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const { appointment, iCloudRecheck } = await bookAppointment(context.services, {
        subaccountId: context.viewer.subaccountId,
        calendarId: input.calendarId.id,
        start: input.start,
        contact: { name: input.contact.name, email: input.contact.email, phone: input.contact.phone ?? null },
        idempotencyKey: input.idempotencyKey ?? null,
        title: input.title ?? null,
        notes: input.notes ?? null,
      })
      const row = await context.services.prisma.appointment.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: appointment.id },
      })
      rememberICloudRecheck(row, iCloudRecheck)
      return row
    },
  }),
)
