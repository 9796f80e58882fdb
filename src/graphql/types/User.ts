import { builder } from '../builder.ts'
import { RoleEnum } from './enums.ts'

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  description: 'A CRM user.',
  // Visible only to people who share the viewer's subaccount with them.
  authScopes: async (user, context) =>
    (await context.services.prisma.membership.count({
      where: { userId: user.id, subaccountId: context.viewer.subaccountId },
    })) > 0,
  fields: (t) => ({
    crmId: t.exposeString('id', { description: 'The CRM’s own id of the user (the token’s user id claim).' }),
    name: t.exposeString('name'),
    email: t.expose('email', { type: 'EmailAddress' }),
    timeZone: t.expose('timeZone', { type: 'TimeZone' }),
  }),
})

builder.prismaObject('Membership', {
  description: 'A user as a member of a subaccount.',
  fields: (t) => ({
    role: t.expose('role', { type: RoleEnum }),
    user: t.relation('user'),
  }),
})
