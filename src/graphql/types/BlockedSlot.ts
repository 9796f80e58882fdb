import { z } from 'zod'
import { builder } from '../builder.ts'
import { assertCanActForUser } from '../authz.ts'
import { BlockedSlotSourceEnum, BusyStatusEnum } from './enums.ts'
import { UserRef } from './User.ts'

const MAX_RANGE_DAYS = 400

export const BlockedSlotRef = builder.prismaNode('BlockedSlot', {
  id: { field: 'id' },
  description: 'Time a user is busy (or explicitly free): an iCloud event occurrence, or a block made in the CRM.',
  // As `blockedSlots(userId)`: the user's own, or any of the subaccount for its admins.
  authScopes: (slot) => ({ $all: { subaccount: slot.subaccountId, $any: { admin: true, user: slot.userId } } }),
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime', description: 'Includes travel time before the event, if any.' }),
    end: t.expose('end', { type: 'DateTime' }),
    allDay: t.exposeBoolean('allDay'),
    availability: t.expose('availability', { type: BusyStatusEnum }),
    source: t.expose('source', { type: BlockedSlotSourceEnum }),
    title: t.string({
      nullable: true,
      description: 'Shown to the owner only; null for everyone else.',
      select: { title: true, userId: true },
      resolve: (slot, _args, context) => (slot.userId === context.viewer.userId ? slot.title : null),
    }),
    user: t.relation('user'),
  }),
})

const blockedSlotRangeSchema = z
  .looseObject({ from: z.date(), to: z.date() })
  .refine((range) => range.from < range.to, { message: '`from` must be before `to`', path: ['to'] })
  .refine((range) => range.to.getTime() - range.from.getTime() <= MAX_RANGE_DAYS * 86_400_000, {
    message: `The range may span at most ${MAX_RANGE_DAYS} days`,
    path: ['to'],
  })

builder.queryField('blockedSlots', (t) =>
  t.prismaField({
    type: ['BlockedSlot'],
    description: 'A user blocked slots overlapping [from, to), by start. Users see their own; admins their subaccount.',
    args: {
      userId: t.arg.globalID({ required: true, for: UserRef }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      includeFree: t.arg.boolean({ required: false, defaultValue: false }),
    },
    validate: blockedSlotRangeSchema,
    resolve: async (query, _root, args, context) => {
      await assertCanActForUser(context, args.userId.id)
      return context.services.prisma.blockedSlot.findMany({
        ...query,
        where: {
          userId: args.userId.id,
          subaccountId: context.viewer.subaccountId,
          start: { lt: args.to },
          end: { gt: args.from },
          ...(args.includeFree ? {} : { availability: 'BUSY' }),
        },
        orderBy: [{ start: 'asc' }, { end: 'asc' }],
        take: 5000,
      })
    },
  }),
)
