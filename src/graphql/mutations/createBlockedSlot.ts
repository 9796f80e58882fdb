import { encodeGlobalID } from '@pothos/plugin-relay'
import { z } from 'zod'
import { createCrmBlockedSlot, deleteCrmBlockedSlot, findCrmBlockedSlot } from '../../scheduling/crmBlockedSlots.ts'
import { builder } from '../builder.ts'
import { textLimits } from '../inputText.ts'
import { assertCanActForUser } from '../authz.ts'
import { mutationResult } from '../errors.ts'
import { BlockedSlotRef } from '../types/BlockedSlot.ts'
import { BusyStatusEnum } from '../types/enums.ts'
import { UserRef } from '../types/User.ts'

const CreateBlockedSlotInput = builder.inputType('CreateBlockedSlotInput', {
  fields: (t) => ({
    userId: t.globalID({ required: true, for: UserRef, description: 'Whose time to block (yourself unless admin).' }),
    start: t.field({ type: 'DateTime', required: true }),
    end: t.field({ type: 'DateTime', required: true }),
    title: t.string({ required: false, maxLength: textLimits.title }),
    availability: t.field({ type: BusyStatusEnum, required: false, defaultValue: 'BUSY' }),
  }),
  validate: z
    .looseObject({ start: z.date(), end: z.date() })
    .refine((input) => input.start < input.end, { message: '`start` must be before `end`', path: ['end'] })
    .refine((input) => input.end.getTime() - input.start.getTime() <= 366 * 86_400_000, {
      message: 'A blocked slot may span at most 366 days',
      path: ['end'],
    }),
})

builder.mutationField('createBlockedSlot', (t) =>
  t.field({
    type: BlockedSlotRef,
    description: 'Blocks time in the CRM. CRM-made blocked slots are never written to iCloud.',
    errors: mutationResult('CreateBlockedSlot', 'blockedSlot'),
    args: { input: t.arg({ type: CreateBlockedSlotInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await assertCanActForUser(context, input.userId.id)
      return createCrmBlockedSlot(context.services, {
        subaccountId: context.viewer.subaccountId,
        userId: input.userId.id,
        start: input.start,
        end: input.end,
        title: input.title ?? null,
        availability: input.availability ?? 'BUSY',
      })
    },
  }),
)

builder.mutationField('deleteBlockedSlot', (t) =>
  t.field({
    type: 'ID',
    description: 'Removes a blocked slot made in the CRM. Slots that come from iCloud change only in iCloud.',
    errors: mutationResult('DeleteBlockedSlot', 'deletedId'),
    args: {
      input: t.arg({
        type: builder.inputType('DeleteBlockedSlotInput', {
          fields: (f) => ({ id: f.globalID({ required: true, for: BlockedSlotRef }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_root, { input }, context) => {
      const slot = await findCrmBlockedSlot(context.services, context.viewer.subaccountId, input.id.id)
      await assertCanActForUser(context, slot.userId)
      await deleteCrmBlockedSlot(context.services, slot)
      return encodeGlobalID('BlockedSlot', slot.id)
    },
  }),
)
