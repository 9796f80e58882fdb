import { cancelAppointment } from '../../scheduling/booking.ts'
import { builder } from '../builder.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { mutationResult } from '../errors.ts'
import { AppointmentRef } from '../types/Appointment.ts'

builder.mutationField('cancelAppointment', (t) =>
  t.prismaField({
    type: 'Appointment',
    description: 'Cancels an appointment and frees its slot; cancelling again returns it unchanged.',
    errors: mutationResult('CancelAppointment', 'appointment'),
    args: {
      input: t.arg({
        type: builder.inputType('CancelAppointmentInput', {
          fields: (f) => ({
            appointmentId: f.globalID({ required: true, for: AppointmentRef }),
            reason: f.string({ required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (query, _root, { input }, context) => {
      const appointment = await cancelAppointment(context.services, {
        subaccountId: context.viewer.subaccountId,
        appointmentId: input.appointmentId.id,
        reason: input.reason ?? null,
      })
      return context.services.prisma.appointment.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: appointment.id },
      })
    },
  }),
)
