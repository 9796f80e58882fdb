import { z } from 'zod'
import { publishCrmCalendar } from '../../publicBooking/publishing.ts'
import { builder } from '../builder.ts'
import { mutationResult } from '../errors.ts'
import { CrmCalendarRef } from '../types/CrmCalendar.ts'
import { SlugTakenError } from '../types/PublicBookingErrors.ts'
import { assertAdmin } from '../authz.ts'
import { prismaQuery } from '../prismaQuery.ts'

const PublishCrmCalendarInput = builder.inputType('PublishCrmCalendarInput', {
  fields: (t) => ({
    calendarId: t.globalID({ required: true, for: CrmCalendarRef }),
    published: t.boolean({ required: true, description: 'True: bookable without a token. False: invisible again.' }),
    slug: t.string({
      required: false,
      description:
        'The calendar’s part of its public address, unique in the subaccount (lower-case letters, digits, dashes). ' +
        'Omitted: keep the current one, or make one from the name.',
    }),
    description: t.string({
      required: false,
      description: 'Shown to invitees on the booking page. Omitted: unchanged; null: cleared.',
      validate: z.string().max(2000),
    }),
  }),
})

builder.mutationField('publishCrmCalendar', (t) =>
  t.prismaField({
    type: 'CrmCalendar',
    description:
      'Publishes a CRM calendar for booking without a token at `publicUrl` (admins only), or unpublishes it: an ' +
      'unpublished calendar is answered exactly like a missing one on the public path.',
    errors: mutationResult('PublishCrmCalendar', 'crmCalendar', [SlugTakenError]),
    args: { input: t.arg({ type: PublishCrmCalendarInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      assertAdmin(context)
      const calendar = await publishCrmCalendar(context.services, context.viewer.subaccountId, input.calendarId.id, {
        published: input.published,
        slug: input.slug ?? null,
        description: input.description,
      })
      return context.services.prisma.crmCalendar.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: calendar.id },
      })
    },
  }),
)
