import { updateCrmCalendarMember } from '../../scheduling/calendarAdmin.ts'
import { builder } from '../builder.ts'
import { assertAdmin } from '../authz.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarMemberRef } from '../types/CrmCalendar.ts'

builder.mutationField('updateCrmCalendarMember', (t) =>
  t.prismaField({
    type: 'CrmCalendarMember',
    description: 'Changes a member round-robin priority or working-hours time zone (admins only).',
    errors: mutationResult('UpdateCrmCalendarMember', 'member'),
    args: {
      input: t.arg({
        type: builder.inputType('UpdateCrmCalendarMemberInput', {
          fields: (f) => ({
            memberId: f.globalID({ required: true, for: CrmCalendarMemberRef }),
            priority: f.int({ required: false }),
            timeZone: f.field({ type: 'TimeZone', required: false }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (query, _root, { input }, context) => {
      assertAdmin(context)
      const member = await updateCrmCalendarMember(context.services, context.viewer.subaccountId, {
        memberId: input.memberId.id,
        priority: input.priority ?? undefined,
        timeZone: input.timeZone ?? undefined,
      })
      return context.services.prisma.crmCalendarMember.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: member.id },
      })
    },
  }),
)
