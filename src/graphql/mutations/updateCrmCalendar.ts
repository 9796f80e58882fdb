import { updateCrmCalendar } from '../../scheduling/calendarAdmin.ts'
import { builder } from '../builder.ts'
import { textLimits } from '../inputText.ts'
import { assertAdmin } from '../authz.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'
import { nullsAsAbsent } from '../nullsAsAbsent.ts'

const UpdateCrmCalendarInput = builder.inputType('UpdateCrmCalendarInput', {
  description: 'Omitted fields stay as they are; null clears a nullable setting.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: CrmCalendarRef }),
    name: t.string({ required: false, maxLength: textLimits.name }),
    timeZone: t.field({ type: 'TimeZone', required: false }),
    slotDurationMinutes: t.int({ required: false }),
    slotIntervalMinutes: t.int({ required: false }),
    bufferBeforeMinutes: t.int({ required: false }),
    bufferAfterMinutes: t.int({ required: false }),
    minNoticeMinutes: t.int({ required: false }),
    bookingWindowDays: t.int({ required: false }),
    maxBookingsPerDayPerMember: t.int({ required: false }),
    seatsPerSlot: t.int({ required: false }),
  }),
})

builder.mutationField('updateCrmCalendar', (t) =>
  t.prismaField({
    type: 'CrmCalendar',
    description: 'Changes a CRM calendar settings (admins only); live availability subscribers get the new slots.',
    errors: mutationResult('UpdateCrmCalendar', 'crmCalendar'),
    args: { input: t.arg({ type: UpdateCrmCalendarInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      assertAdmin(context)
      const { id, maxBookingsPerDayPerMember, seatsPerSlot, ...settings } = input
      // Non-nullable settings ignore null (= leave unchanged); nullable ones take null as "clear".
      const calendar = await updateCrmCalendar(context.services, context.viewer.subaccountId, id.id, {
        ...nullsAsAbsent(settings),
        maxBookingsPerDayPerMember,
        seatsPerSlot,
      })
      return context.services.prisma.crmCalendar.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: calendar.id },
      })
    },
  }),
)
