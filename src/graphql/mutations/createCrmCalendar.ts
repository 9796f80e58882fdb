import { createCrmCalendar } from '../../scheduling/calendarAdmin.ts'
import { builder } from '../builder.ts'
import { assertAdmin } from '../authz.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarTypeEnum } from '../types/enums.ts'
import { textLimits } from '../inputText.ts'
import { nullsAsAbsent } from '../nullsAsAbsent.ts'

const CreateCrmCalendarInput = builder.inputType('CreateCrmCalendarInput', {
  fields: (t) => ({
    name: t.string({ required: true, maxLength: textLimits.name }),
    type: t.field({ type: CrmCalendarTypeEnum, required: true }),
    timeZone: t.field({
      type: 'TimeZone',
      required: false,
      description: 'Slot grid zone; the subaccount zone if omitted.',
    }),
    slotDurationMinutes: t.int({ required: false, description: 'Length of an appointment (default 30, max 1440).' }),
    slotIntervalMinutes: t.int({ required: false, description: 'Minutes between slot starts (default 30).' }),
    bufferBeforeMinutes: t.int({ required: false, description: 'Free time required before (default 0).' }),
    bufferAfterMinutes: t.int({ required: false, description: 'Free time required after (default 0).' }),
    minNoticeMinutes: t.int({ required: false, description: 'Minimum scheduling notice (default 0).' }),
    bookingWindowDays: t.int({ required: false, description: 'How many days ahead can be booked (default 60).' }),
    maxBookingsPerDayPerMember: t.int({ required: false, description: 'Per member per local day; null = no cap.' }),
    seatsPerSlot: t.int({ required: false, description: 'CLASS_BOOKING only (required there): seats per session.' }),
  }),
})

builder.mutationField('createCrmCalendar', (t) =>
  t.prismaField({
    type: 'CrmCalendar',
    description: 'Creates a bookable CRM calendar (admins only). Add members and their working hours next.',
    errors: mutationResult('CreateCrmCalendar', 'crmCalendar'),
    args: { input: t.arg({ type: CreateCrmCalendarInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      assertAdmin(context)
      const calendar = await createCrmCalendar(context.services, context.viewer.subaccountId, nullsAsAbsent(input))
      return context.services.prisma.crmCalendar.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: calendar.id },
      })
    },
  }),
)
