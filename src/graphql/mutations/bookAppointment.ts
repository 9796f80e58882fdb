import { z } from 'zod'
import { bookAppointment } from '../../scheduling/booking.ts'
import type { ICloudRecheck } from '../../writeBack/bookingRecheck.ts'
import { builder } from '../builder.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'
import {
  CalendarNotBookableError,
  domainCall,
  prismaQuery,
  OutsideBookingWindowError,
  SlotUnavailableError,
} from '../types/SchedulingErrors.ts'

const BookingContactInput = builder.inputType('BookingContactInput', {
  description: 'Who books. An existing contact with this email (in the subaccount) is reused.',
  fields: (t) => ({
    name: t.string({ required: true, validate: z.string().trim().min(1).max(200) }),
    email: t.field({ type: 'EmailAddress', required: true }),
    phone: t.string({ required: false, validate: z.string().max(50) }),
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
      validate: z.string().min(1).max(200),
    }),
    title: t.string({ required: false, validate: z.string().max(500) }),
    notes: t.string({ required: false, validate: z.string().max(5000) }),
  }),
})

const ICloudRecheckEnum = builder.enumType('ICloudRecheck', {
  description:
    'How fresh the iCloud busy time was that a booking was checked against. Before booking, every candidate ' +
    'member’s conflict calendars get one incremental sync (one request per unchanged calendar), bounded by ' +
    'BOOKING_RECHECK_TIMEOUT_MS; the booking never fails or waits longer because iCloud is slow or down.',
  values: {
    LIVE: { description: 'Checked against iCloud just now.' },
    NOT_NEEDED: { description: 'No candidate member has a connected iCloud integration with conflict calendars.' },
    SKIPPED: {
      description:
        'Not checked live: a sync of the member was already running elsewhere (it is refreshing the data), the ' +
        're-check is off, or an earlier request with the same idempotency key made the appointment.',
    },
    TIMED_OUT: { description: 'iCloud did not answer in time: booked on the last synced data.' },
    UNREACHABLE: {
      description: 'iCloud answered with an error (down, throttled, revoked): booked on the last synced data.',
    },
  } as const,
})

// The success object's value is the appointment row; the re-check outcome travels next to it.
const recheckOf = new WeakMap<object, ICloudRecheck>()

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
      ]),
      result: {
        name: 'BookAppointmentSuccess',
        fields: (r) => ({
          iCloudRecheck: r.field({
            type: ICloudRecheckEnum,
            description:
              'Whether the slot was checked against the members’ iCloud calendars right before booking (LIVE) or ' +
              'on the last synced data (and why). A slot taken in iCloud meanwhile gives SlotUnavailable instead.',
            resolve: (appointment) => recheckOf.get(appointment) ?? 'SKIPPED',
          }),
        }),
      },
    },
    args: { input: t.arg({ type: BookAppointmentInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const { appointment, iCloudRecheck } = await domainCall(() =>
        bookAppointment(context.services, {
          subaccountId: context.viewer.subaccountId,
          calendarId: input.calendarId.id,
          start: input.start,
          contact: { name: input.contact.name, email: input.contact.email, phone: input.contact.phone ?? null },
          idempotencyKey: input.idempotencyKey ?? null,
          title: input.title ?? null,
          notes: input.notes ?? null,
        }),
      )
      const row = await context.services.prisma.appointment.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: appointment.id },
      })
      recheckOf.set(row, iCloudRecheck)
      return row
    },
  }),
)
