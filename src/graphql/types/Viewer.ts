import { builder } from '../builder.ts'
import type { Viewer } from '../context.ts'
import { RoleEnum } from './enums.ts'

export const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The signed-in user, acting in one subaccount.',
  fields: (t) => ({
    role: t.expose('role', { type: RoleEnum }),
    user: t.prismaField({
      type: 'User',
      resolve: (query, viewer, _args, context) =>
        context.services.prisma.user.findUniqueOrThrow({ ...query, where: { id: viewer.userId } }),
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
