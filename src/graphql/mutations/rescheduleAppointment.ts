import { rescheduleAppointment } from '../../scheduling/booking.ts'
import { builder } from '../builder.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { mutationResult } from '../errors.ts'
import { AppointmentRef } from '../types/Appointment.ts'
import { iCloudRecheckField, rememberICloudRecheck } from '../types/ICloudRecheck.ts'
import {
  AppointmentCancelledError,
  OutsideBookingWindowError,
  SlotUnavailableError,
} from '../types/SchedulingErrors.ts'

builder.mutationField('rescheduleAppointment', (t) =>
  t.prismaField({
    type: 'Appointment',
    description:
      'Moves an appointment to another open slot of its calendar (its own time does not count as busy). Keeps the ' +
      'assigned member when free, else round robin picks another. Bumps `sequence`; iCloud is updated by the outbox. Re-checks the members’ iCloud calendars first, like a booking.',
    errors: {
      ...mutationResult('RescheduleAppointment', 'appointment', [
        SlotUnavailableError,
        OutsideBookingWindowError,
        AppointmentCancelledError,
      ]),
      result: {
        name: 'RescheduleAppointmentSuccess',
        fields: (r) => ({ iCloudRecheck: r.field(iCloudRecheckField('rescheduling')) }),
      },
    },
    args: {
      input: t.arg({
        type: builder.inputType('RescheduleAppointmentInput', {
          fields: (f) => ({
            appointmentId: f.globalID({ required: true, for: AppointmentRef }),
            start: f.field({ type: 'DateTime', required: true }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (query, _root, { input }, context) => {
      const { appointment, iCloudRecheck } = await rescheduleAppointment(context.services, {
        subaccountId: context.viewer.subaccountId,
        appointmentId: input.appointmentId.id,
        start: input.start,
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
