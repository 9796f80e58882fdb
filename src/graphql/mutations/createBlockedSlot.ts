import { encodeGlobalID } from '@pothos/plugin-relay'
import { z } from 'zod'
import { notifyBusyTimeChanged } from '../../realtime/notify.ts'
import { builder } from '../builder.ts'
import { assertCanActForUser } from '../authz.ts'
import { NotFoundError } from '../../errors.ts'
import { mutationResult } from '../errors.ts'
import { BlockedSlotRef } from '../types/BlockedSlot.ts'
import { BusyStatusEnum } from '../types/enums.ts'
import { UserRef } from '../types/User.ts'

const CreateBlockedSlotInput = builder.inputType('CreateBlockedSlotInput', {
  fields: (t) => ({
    userId: t.globalID({ required: true, for: UserRef, description: 'Whose time to block (yourself unless admin).' }),
    start: t.field({ type: 'DateTime', required: true }),
    end: t.field({ type: 'DateTime', required: true }),
    title: t.string({ required: false, validate: z.string().max(500) }),
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
      const slot = await context.services.prisma.blockedSlot.create({
        data: {
          userId: input.userId.id,
          subaccountId: context.viewer.subaccountId,
          start: input.start,
          end: input.end,
          title: input.title ?? null,
          availability: input.availability ?? 'BUSY',
          source: 'CRM',
        },
      })
      await notifyBusyTimeChanged(
        context.services,
        [slot.userId],
        { from: slot.start, to: slot.end },
        'blocked slot created',
      )
      return slot
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
      const slot = await context.services.prisma.blockedSlot.findFirst({
        where: { id: input.id.id, subaccountId: context.viewer.subaccountId, source: 'CRM' },
      })
      if (!slot) throw new NotFoundError('A CRM blocked slot with this id')
      await assertCanActForUser(context, slot.userId)
      await context.services.prisma.blockedSlot.delete({ where: { id: slot.id } })
      await notifyBusyTimeChanged(
        context.services,
        [slot.userId],
        { from: slot.start, to: slot.end },
        'blocked slot deleted',
      )
      return encodeGlobalID('BlockedSlot', slot.id)
    },
  }),
)
