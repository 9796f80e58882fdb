import type { GraphQLContext } from '../context.ts'
import { calendarSelectability } from '../../integrations/icloud/calendarSelectability.ts'
import { builder } from '../builder.ts'
import { canSeeIntegration } from './Integration.ts'
import { RemoteCalendarKindEnum } from './enums.ts'

// One owner lookup per integration per request, however many calendars are shown.
const owners = new WeakMap<GraphQLContext, Map<string, Promise<{ userId: string; subaccountId: string } | null>>>()
function integrationOwner(context: GraphQLContext, integrationId: string) {
  let cache = owners.get(context)
  if (!cache) owners.set(context, (cache = new Map()))
  let owner = cache.get(integrationId)
  if (!owner) {
    owner = context.services.prisma.integration.findUnique({
      where: { id: integrationId },
      select: { userId: true, subaccountId: true },
    })
    cache.set(integrationId, owner)
  }
  return owner
}

const selectabilityFields = { kind: true, components: true, writable: true, subscribed: true, shared: true } as const

export const CalendarRef = builder.prismaNode('Calendar', {
  id: { field: 'id' },
  description:
    'A collection found in the iCloud calendar home. Every one is listed; `selectableAsLinked` / ' +
    '`selectableAsConflict` say what it can be used for and `notSelectableReason` why not.',
  authScopes: async (calendar, context) => {
    const owner = await integrationOwner(context, calendar.integrationId)
    return owner !== null && canSeeIntegration(context, owner)
  },
  fields: (t) => ({
    displayName: t.exposeString('displayName'),
    color: t.exposeString('color', { nullable: true, description: 'As iCloud gives it, e.g. #FF2968FF (RRGGBBAA).' }),
    kind: t.expose('kind', { type: RemoteCalendarKindEnum }),
    path: t.exposeString('path', { description: 'Its stable identity in iCloud (URL path of the collection).' }),
    writable: t.exposeBoolean('writable', { description: 'The user may create events in it.' }),
    supportsEvents: t.boolean({
      description: 'An event calendar (not a Reminders list, inbox/outbox or notifications).',
      select: selectabilityFields,
      resolve: (calendar) => calendarSelectability(calendar).supportsEvents,
    }),
    shared: t.exposeBoolean('shared', { description: 'Shared with the user (or by the user).' }),
    readOnly: t.boolean({
      description: 'Read-only for the user (e.g. shared read-only): conflict calendar only.',
      select: { writable: true },
      resolve: (calendar) => !calendar.writable,
    }),
    subscribed: t.exposeBoolean('subscribed', { description: 'A subscribed feed (e.g. holidays): never selectable.' }),
    selectableAsLinked: t.boolean({
      description: 'Can be the linked calendar (writable event calendar).',
      select: selectabilityFields,
      resolve: (calendar) => calendarSelectability(calendar).selectableAsLinked,
    }),
    selectableAsConflict: t.boolean({
      description: 'Can be a conflict calendar (any event calendar, read-only included; not subscribed).',
      select: selectabilityFields,
      resolve: (calendar) => calendarSelectability(calendar).selectableAsConflict,
    }),
    notSelectableReason: t.string({
      nullable: true,
      description: 'Why it cannot be linked and/or conflict calendar; null when it can be both.',
      select: selectabilityFields,
      resolve: (calendar) => calendarSelectability(calendar).reason,
    }),
    isLinked: t.boolean({
      select: { linkedBy: { select: { id: true } } },
      resolve: (calendar) => calendar.linkedBy !== null,
    }),
    isConflict: t.boolean({
      select: { conflictBy: { select: { id: true } } },
      resolve: (calendar) => calendar.conflictBy !== null,
    }),
    lastCheckedAt: t.expose('lastCheckedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When the sync engine last checked it successfully, changed or not (before the first sync: when discovery saw it). A failed check leaves it.',
    }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
  }),
})
