import { encodeGlobalID } from '@pothos/plugin-relay'
import { getAvailability, type Availability, type RenderedSlot } from '../../scheduling/availabilityService.ts'
import type { StaleMember } from '../../scheduling/loadAvailabilityInput.ts'
import { noteAttention } from '../../scheduling/attention.ts'
import { builder } from '../builder.ts'
import { CrmCalendarRef } from './CrmCalendar.ts'
import { slotFields } from './slotFields.ts'

/** What the query returns, plus the diff a subscription push carries. */
export type AvailabilityPayload = Availability & { added?: RenderedSlot[] | null; removed?: RenderedSlot[] | null }

const SlotRef = builder.objectRef<RenderedSlot>('Slot').implement({
  description: 'A bookable start time. Pass `start` to bookAppointment.',
  fields: (t) => ({
    ...slotFields(t),
    freeMembers: t.idList({
      description:
        'Global IDs of the users who could take this slot: for round robin the free members (the booking picks ' +
        'one), for collective every member, for class booking the host.',
      resolve: (slot) => slot.freeMemberIds.map((id) => encodeGlobalID('User', id)),
    }),
  }),
})

const StaleReasonEnum = builder.enumType('StaleReason', {
  description: 'Why a member busy time may be out of date.',
  values: {
    NEEDS_REAUTH: { description: 'iCloud refused the app-specific password; the user must reconnect.' },
    ERROR: { description: 'Syncing failed repeatedly.' },
    SYNC_OVERDUE: { description: 'No successful sync for longer than 3 sync intervals plus 5 minutes.' },
  },
})

const StaleMemberRef = builder.objectRef<StaleMember>('StaleMember').implement({
  description: 'A member whose iCloud calendars could not be read recently. Their last known busy time still blocks.',
  fields: (t) => ({
    userId: t.id({ description: 'Global ID of the user.', resolve: (m) => encodeGlobalID('User', m.userId) }),
    integrationId: t.id({ resolve: (m) => encodeGlobalID('Integration', m.integrationId) }),
    reason: t.field({ type: StaleReasonEnum, resolve: (m) => m.reason }),
    lastSyncedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.lastSyncedAt }),
  }),
})

export const AvailabilityRef = builder.objectRef<AvailabilityPayload>('Availability').implement({
  description:
    'Open slots of a CRM calendar, computed from the database only: working hours minus busy blocked slots and ' +
    'appointments (with buffers), by calendar type.',
  fields: (t) => ({
    calendarId: t.id({ resolve: (a) => encodeGlobalID('CrmCalendar', a.calendarId) }),
    timeZone: t.field({
      type: 'TimeZone',
      description: 'The zone local times are rendered in.',
      resolve: (a) => a.timeZone,
    }),
    from: t.field({ type: 'DateTime', resolve: (a) => a.from }),
    to: t.field({ type: 'DateTime', resolve: (a) => a.to }),
    slots: t.field({
      type: [SlotRef],
      description: 'Slots whose start lies in [from, to), by start.',
      resolve: (a) => a.slots,
    }),
    stale: t.boolean({
      description:
        'Some member iCloud data may be out of date (needs re-authentication, failing, or overdue). Their last known ' +
        'busy time still blocks, so no slot is shown that the last known data says is busy.',
      resolve: (a) => a.stale,
    }),
    staleMembers: t.field({ type: [StaleMemberRef], resolve: (a) => a.staleMembers }),
    freshAsOf: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'The busy time is at least this fresh: the oldest `Calendar.lastCheckedAt` among the blocking iCloud ' +
        'calendars (conflict calendars, and linked calendars that also block) of the members. Members without an ' +
        'integration have no iCloud data to age, so with none at all it equals `generatedAt`. Null when some ' +
        'blocking calendar has never been checked yet (no bound).',
      resolve: (a) => a.freshAsOf,
    }),
    generatedAt: t.field({ type: 'DateTime', resolve: (a) => a.generatedAt }),
    added: t.field({
      type: [SlotRef],
      nullable: true,
      description: 'Subscription pushes after the first: slots that appeared since the previous push. Null otherwise.',
      resolve: (a) => a.added ?? null,
    }),
    removed: t.field({
      type: [SlotRef],
      nullable: true,
      description:
        'Subscription pushes after the first: slots that disappeared since the previous push. Null otherwise.',
      resolve: (a) => a.removed ?? null,
    }),
  }),
})

builder.queryField('availability', (t) =>
  t.field({
    type: AvailabilityRef,
    description:
      'Bookable slots of a CRM calendar with a start in [from, to) (at most 62 days), rendered in `timeZone`. ' +
      'Answered from the database in milliseconds; never waits on iCloud.',
    args: {
      calendarId: t.arg.globalID({ required: true, for: CrmCalendarRef }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      timeZone: t.arg({ type: 'TimeZone', required: true }),
    },
    resolve: async (_root, args, context) => {
      const availability = await getAvailability(
        context.services,
        args.calendarId.id,
        { from: args.from, to: args.to },
        args.timeZone,
        { subaccountId: context.viewer.subaccountId },
      )
      // Found, so the viewer may see it: its members' calendars are now worth checking more often.
      noteAttention(context.services, args.calendarId.id)
      return availability
    },
  }),
)
