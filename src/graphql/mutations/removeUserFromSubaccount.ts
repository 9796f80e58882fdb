import { encodeGlobalID } from '@pothos/plugin-relay'
import { removeUserFromSubaccount } from '../../accounts/users.ts'
import { assertAdminOrService } from '../authz.ts'
import { builder } from '../builder.ts'
import { NotFoundError } from '../../errors.ts'
import { mutationResult } from '../errors.ts'
import { UserRef } from '../types/User.ts'

const RemoveUserFromSubaccountInput = builder.inputType('RemoveUserFromSubaccountInput', {
  fields: (t) => ({ userId: t.globalID({ required: true, for: UserRef }) }),
})

builder.mutationField('removeUserFromSubaccount', (t) =>
  t.field({
    type: 'ID',
    description:
      'Removes a user from the current subaccount (API keys and admins). Their tokens are refused from the next ' +
      'request (just-in-time provisioning does not re-add them; upsertUser does). Their iCloud integration here is ' +
      'disconnected: the app-specific password is erased, and the calendars, events and blocked slots read from ' +
      'iCloud are deleted. They leave the CRM calendars; their appointments stay. Returns the removed user id.',
    errors: mutationResult('RemoveUserFromSubaccount', 'userId'),
    args: { input: t.arg({ type: RemoveUserFromSubaccountInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      assertAdminOrService(context)
      const removed = await removeUserFromSubaccount(context.services, context.viewer.subaccountId, input.userId.id)
      if (!removed) throw new NotFoundError('A member of this subaccount with this id')
      return encodeGlobalID('User', input.userId.id)
    },
  }),
)
