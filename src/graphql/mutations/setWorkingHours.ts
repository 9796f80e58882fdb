import { setWorkingHours } from '../../scheduling/calendarAdmin.ts'
import { builder } from '../builder.ts'
import { assertAdmin } from '../authz.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarMemberRef } from '../types/CrmCalendar.ts'

export const WorkingHoursRuleInput = builder.inputType('WorkingHoursRuleInput', {
  description:
    'Weekly hours in the member time zone: 09:00–17:00 on Mondays is {weekday: 1, startMinute: 540, endMinute: 1020}.',
  fields: (t) => ({
    weekday: t.int({ required: true, description: 'ISO weekday: 1 = Monday … 7 = Sunday.' }),
    startMinute: t.int({ required: true, description: 'Minutes from local midnight, 0…1439.' }),
    endMinute: t.int({ required: true, description: 'Exclusive, up to 1440 (midnight).' }),
  }),
})

builder.mutationField('setWorkingHours', (t) =>
  t.prismaField({
    type: 'CrmCalendarMember',
    description: 'Replaces a member weekly working hours (admins only). Wall-clock times, DST-correct.',
    errors: mutationResult('SetWorkingHours', 'member'),
    args: {
      input: t.arg({
        type: builder.inputType('SetWorkingHoursInput', {
          fields: (f) => ({
            memberId: f.globalID({ required: true, for: CrmCalendarMemberRef }),
            rules: f.field({ type: [WorkingHoursRuleInput], required: true }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (query, _root, { input }, context) => {
      assertAdmin(context)
      const member = await setWorkingHours(
        context.services,
        context.viewer.subaccountId,
        input.memberId.id,
        input.rules,
      )
      return context.services.prisma.crmCalendarMember.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: member.id },
      })
    },
  }),
)
