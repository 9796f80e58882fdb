import { encodeGlobalID } from '@pothos/plugin-relay'
import { removeCrmCalendarMember } from '../../scheduling/calendarAdmin.ts'
import { builder } from '../builder.ts'
import { assertAdmin } from '../authz.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarMemberRef } from '../types/CrmCalendar.ts'

builder.mutationField('removeCrmCalendarMember', (t) =>
  t.field({
    type: 'ID',
    description: 'Removes a member from a CRM calendar (admins only). Their booked appointments stay booked.',
    errors: mutationResult('RemoveCrmCalendarMember', 'removedMemberId'),
    args: {
      input: t.arg({
        type: builder.inputType('RemoveCrmCalendarMemberInput', {
          fields: (f) => ({ memberId: f.globalID({ required: true, for: CrmCalendarMemberRef }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, context) => {
      assertAdmin(context)
      const member = await removeCrmCalendarMember(context.services, context.viewer.subaccountId, input.memberId.id)
      return encodeGlobalID('CrmCalendarMember', member.id)
    },
  }),
)
