import { z } from 'zod'
import { upsertUser } from '../../accounts/users.ts'
import { assertAdminOrService } from '../authz.ts'
import { builder } from '../builder.ts'
import { mutationResult } from '../errors.ts'
import { RoleEnum } from '../types/enums.ts'

// eslint-disable-next-line no-control-regex
const noControlCharacters = /^[^\u0000-\u001f\u007f]*$/

const UpsertUserInput = builder.inputType('UpsertUserInput', {
  fields: (t) => ({
    crmId: t.string({
      required: true,
      description: 'The CRM’s id of the user: the same as the user id claim of their tokens.',
      validate: z.string().min(1).max(128).regex(noControlCharacters),
    }),
    email: t.field({ type: 'EmailAddress', required: true }),
    name: t.string({ required: true, validate: z.string().trim().min(1).max(200).regex(noControlCharacters) }),
    role: t.field({ type: RoleEnum, required: false, description: 'In this subaccount; USER for a new member.' }),
    timeZone: t.field({
      type: 'TimeZone',
      required: false,
      description: 'Floating and all-day iCloud events are re-expanded in it; working hours that follow it move.',
    }),
  }),
})

builder.mutationField('upsertUser', (t) =>
  t.prismaField({
    type: 'User',
    description:
      'Creates or updates a user and their membership of the current subaccount (API keys and admins). Re-admits a ' +
      'user removed with removeUserFromSubaccount. Idempotent.',
    errors: mutationResult('UpsertUser', 'user'),
    args: { input: t.arg({ type: UpsertUserInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      assertAdminOrService(context)
      const user = await upsertUser(context.services, context.viewer.subaccountId, {
        userId: input.crmId,
        email: input.email.toLowerCase(),
        name: input.name.trim(),
        role: input.role ?? undefined,
        timeZone: input.timeZone ?? undefined,
      })
      return context.services.prisma.user.findUniqueOrThrow({ ...query, where: { id: user.id } })
    },
  }),
)
