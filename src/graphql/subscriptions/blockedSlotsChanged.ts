import { encodeGlobalID } from '@pothos/plugin-relay'
import { builder } from '../builder.ts'
import { assertCanActForUser } from '../authz.ts'
import { UserRef } from '../types/User.ts'

const BlockedSlotsChange = builder.objectRef<{ userId: string; from: string | null; to: string | null; at: string }>(
  'BlockedSlotsChange',
)
BlockedSlotsChange.implement({
  description: 'Blocked slots of a user changed within [from, to); re-query blockedSlots for that span.',
  fields: (t) => ({
    userId: t.id({ description: 'Global ID of the user.', resolve: (change) => encodeGlobalID('User', change.userId) }),
    from: t.field({ type: 'DateTime', nullable: true, resolve: (change) => change.from }),
    to: t.field({ type: 'DateTime', nullable: true, resolve: (change) => change.to }),
    at: t.field({ type: 'DateTime', resolve: (change) => change.at }),
  }),
})

builder.subscriptionField('blockedSlotsChanged', (t) =>
  t.field({
    type: BlockedSlotsChange,
    description: 'Fires when the sync engine or the CRM changes a user blocked slots.',
    args: { userId: t.arg.globalID({ required: true, for: UserRef }) },
    subscribe: async (_root, args, context) => {
      await assertCanActForUser(context, args.userId.id)
      return context.services.pubsub.subscribe('blockedSlotsChanged', args.userId.id)
    },
    resolve: (event) => event,
  }),
)
