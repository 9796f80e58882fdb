import { addCrmCalendarMember } from '../../scheduling/calendarAdmin.ts'
import { builder } from '../builder.ts'
import { assertAdmin } from '../authz.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'
import { UserRef } from '../types/User.ts'
import { WorkingHoursRuleInput } from './setWorkingHours.ts'

const AddCrmCalendarMemberInput = builder.inputType('AddCrmCalendarMemberInput', {
  fields: (t) => ({
    calendarId: t.globalID({ required: true, for: CrmCalendarRef }),
    userId: t.globalID({ required: true, for: UserRef, description: 'A user of the same subaccount.' }),
    priority: t.int({ required: false, description: 'Higher is preferred by round robin (default 0).' }),
    timeZone: t.field({
      type: 'TimeZone',
      required: false,
      description: 'Working hours zone; the user zone if omitted.',
    }),
    workingHours: t.field({ type: [WorkingHoursRuleInput], required: false }),
  }),
})

builder.mutationField('addCrmCalendarMember', (t) =>
  t.prismaField({
    type: 'CrmCalendarMember',
    description: 'Makes a user bookable on a CRM calendar (admins only). For class booking the first member hosts.',
    errors: mutationResult('AddCrmCalendarMember', 'member'),
    args: { input: t.arg({ type: AddCrmCalendarMemberInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      assertAdmin(context)
      const member = await addCrmCalendarMember(context.services, context.viewer.subaccountId, {
        calendarId: input.calendarId.id,
        userId: input.userId.id,
        priority: input.priority ?? undefined,
        timeZone: input.timeZone ?? undefined,
        workingHours: input.workingHours ?? undefined,
      })
      return context.services.prisma.crmCalendarMember.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: member.id },
      })
    },
  }),
)
