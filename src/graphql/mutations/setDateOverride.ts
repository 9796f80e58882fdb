import { removeDateOverride, setDateOverride } from '../../scheduling/calendarAdmin.ts'
import { builder } from '../builder.ts'
import { assertAdmin } from '../authz.ts'
import { prismaQuery } from '../prismaQuery.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarMemberRef } from '../types/CrmCalendar.ts'

const MinuteSpanInput = builder.inputType('MinuteSpanInput', {
  fields: (t) => ({
    startMinute: t.int({ required: true, description: 'Minutes from local midnight.' }),
    endMinute: t.int({ required: true, description: 'Exclusive, up to 1440.' }),
  }),
})

builder.mutationField('setDateOverride', (t) =>
  t.prismaField({
    type: 'CrmCalendarMember',
    description:
      'Replaces a member hours on one local date (admins only): `intervals` empty closes the day; otherwise they ' +
      'replace the weekly rules for that date.',
    errors: mutationResult('SetDateOverride', 'member'),
    args: {
      input: t.arg({
        type: builder.inputType('SetDateOverrideInput', {
          fields: (f) => ({
            memberId: f.globalID({ required: true, for: CrmCalendarMemberRef }),
            date: f.string({ required: true, description: 'YYYY-MM-DD in the member time zone.' }),
            intervals: f.field({ type: [MinuteSpanInput], required: true }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (query, _root, { input }, context) => {
      assertAdmin(context)
      const member = await setDateOverride(
        context.services,
        context.viewer.subaccountId,
        input.memberId.id,
        input.date,
        input.intervals,
      )
      return context.services.prisma.crmCalendarMember.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: member.id },
      })
    },
  }),
)

builder.mutationField('removeDateOverride', (t) =>
  t.prismaField({
    type: 'CrmCalendarMember',
    description: 'Returns a date to the weekly rules (admins only).',
    errors: mutationResult('RemoveDateOverride', 'member'),
    args: {
      input: t.arg({
        type: builder.inputType('RemoveDateOverrideInput', {
          fields: (f) => ({
            memberId: f.globalID({ required: true, for: CrmCalendarMemberRef }),
            date: f.string({ required: true }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (query, _root, { input }, context) => {
      assertAdmin(context)
      const member = await removeDateOverride(
        context.services,
        context.viewer.subaccountId,
        input.memberId.id,
        input.date,
      )
      return context.services.prisma.crmCalendarMember.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: member.id },
      })
    },
  }),
)
