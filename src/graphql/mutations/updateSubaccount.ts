import { updateSubaccountSlug } from '../../publicBooking/publishing.ts'
import { builder } from '../builder.ts'
import { ForbiddenError } from '../../errors.ts'
import { mutationResult } from '../errors.ts'
import { SlugTakenError } from '../types/PublicBookingErrors.ts'
import { prismaQuery } from '../prismaQuery.ts'

const UpdateSubaccountInput = builder.inputType('UpdateSubaccountInput', {
  description: 'Changes the viewer’s subaccount.',
  fields: (t) => ({
    slug: t.string({
      required: true,
      description:
        'The subaccount’s part of public booking addresses (/book/<slug>/<calendar>), unique across subaccounts. ' +
        'Links already shared stop working when it changes.',
    }),
  }),
})

builder.mutationField('updateSubaccount', (t) =>
  t.prismaField({
    type: 'Subaccount',
    description: 'Changes settings of the viewer’s subaccount (admins only).',
    errors: mutationResult('UpdateSubaccount', 'subaccount', [SlugTakenError]),
    args: { input: t.arg({ type: UpdateSubaccountInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      if (context.viewer.role !== 'ADMIN') throw new ForbiddenError('Only admins change the subaccount.')
      const subaccount = await updateSubaccountSlug(context.services, context.viewer.subaccountId, input.slug)
      return context.services.prisma.subaccount.findUniqueOrThrow({
        ...prismaQuery(query),
        where: { id: subaccount.id },
      })
    },
  }),
)
