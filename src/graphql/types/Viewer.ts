import { requireUserId } from '../authz.ts'
import { builder } from '../builder.ts'
import type { Viewer } from '../context.ts'
import { RoleEnum } from './enums.ts'

const PrincipalKindEnum = builder.enumType('PrincipalKind', {
  description: 'Who is calling.',
  values: {
    USER: { description: 'A CRM user, signed in with a token.' },
    API_KEY: { description: 'A subaccount API key: the CRM backend (service principal).' },
  } as const,
})

export const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The signed-in user, acting in one subaccount.',
  fields: (t) => ({
    role: t.expose('role', { type: RoleEnum }),
    principal: t.field({
      type: PrincipalKindEnum,
      description: 'USER for a signed-in user (a token), API_KEY for the subaccount service principal.',
      resolve: (viewer) => viewer.kind,
    }),
    tokenExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the token expires (subscriptions end then); null for an API key.',
      resolve: (viewer) => viewer.expiresAt,
    }),
    user: t.prismaField({
      type: 'User',
      description: 'The signed-in user. An API key is no user: asking for it is FORBIDDEN.',
      resolve: (query, viewer, _args, context) =>
        context.services.prisma.user.findUniqueOrThrow({ ...query, where: { id: requireUserId(context) } }),
    }),
    subaccount: t.prismaField({
      type: 'Subaccount',
      resolve: (query, viewer, _args, context) =>
        context.services.prisma.subaccount.findUniqueOrThrow({ ...query, where: { id: viewer.subaccountId } }),
    }),
  }),
})

builder.queryType({
  fields: (t) => ({
    viewer: t.field({
      type: ViewerRef,
      description: 'The signed-in user in their current subaccount.',
      resolve: (_root, _args, context) => context.viewer,
    }),
  }),
})
