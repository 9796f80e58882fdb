import { z } from 'zod'
import { changeUserTimeZone } from '../../accounts/timeZone.ts'
import { requireUserId } from '../authz.ts'
import { builder } from '../builder.ts'
import { mutationResult } from '../errors.ts'

const UpdateViewerProfileInput = builder.inputType('UpdateViewerProfileInput', {
  fields: (t) => ({
    timeZone: t.field({
      type: 'TimeZone',
      required: false,
      description:
        'Your zone. Floating and all-day iCloud events are re-expanded in it (in the background, from the stored ' +
        'iCalendar data) and working hours that followed your old zone move with you; availability follows.',
    }),
    name: t.string({ required: false, validate: z.string().trim().min(1).max(200) }),
  }),
})

builder.mutationField('updateViewerProfile', (t) =>
  t.prismaField({
    type: 'User',
    description:
      'Changes your own profile. When the CRM’s tokens carry a time zone or name claim, the next token sets it back: ' +
      'the CRM is the source of truth for what it sends.',
    errors: mutationResult('UpdateViewerProfile', 'user'),
    args: { input: t.arg({ type: UpdateViewerProfileInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const userId = requireUserId(context)
      if (input.name)
        await context.services.prisma.user.update({ where: { id: userId }, data: { name: input.name.trim() } })
      if (input.timeZone) await changeUserTimeZone(context.services, userId, input.timeZone)
      return context.services.prisma.user.findUniqueOrThrow({ ...query, where: { id: userId } })
    },
  }),
)
