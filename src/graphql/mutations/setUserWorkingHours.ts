import { setUserWorkingHours } from '../../accounts/users.ts'
import { assertAdminOrService } from '../authz.ts'
import { builder } from '../builder.ts'
import { mutationResult } from '../errors.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'
import { UserRef } from '../types/User.ts'
import { WorkingHoursRuleInput } from './setWorkingHours.ts'

const SetUserWorkingHoursInput = builder.inputType('SetUserWorkingHoursInput', {
  fields: (t) => ({
    userId: t.globalID({ required: true, for: UserRef }),
    rules: t.field({ type: [WorkingHoursRuleInput], required: true }),
    timeZone: t.field({
      type: 'TimeZone',
      required: false,
      description: 'The zone of the rules; unchanged if omitted.',
    }),
    calendarIds: t.globalIDList({
      required: false,
      for: CrmCalendarRef,
      description: 'Only these CRM calendars; every calendar the user is a member of if omitted.',
    }),
  }),
})

builder.mutationField('setUserWorkingHours', (t) =>
  t.prismaField({
    type: ['CrmCalendarMember'],
    description:
      "Replaces a user's weekly working hours on the subaccount's CRM calendars they are a member of (API keys and " +
      'admins): one call instead of setWorkingHours per membership. Returns the memberships changed.',
    errors: mutationResult('SetUserWorkingHours', 'members'),
    args: { input: t.arg({ type: SetUserWorkingHoursInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      assertAdminOrService(context)
      const memberIds = await setUserWorkingHours(context.services, context.viewer.subaccountId, {
        userId: input.userId.id,
        rules: input.rules,
        timeZone: input.timeZone ?? undefined,
        calendarIds: input.calendarIds?.map((id) => id.id),
      })
      return context.services.prisma.crmCalendarMember.findMany({
        ...prismaQuery(query),
        where: { id: { in: memberIds } },
        orderBy: { id: 'asc' },
      })
    },
  }),
)
