import type { Integration } from '../../generated/prisma/client.ts'
import { countUnreadableEvents, integrationStatusText } from '../../sync/unreadableEvents.ts'
import { builder } from '../builder.ts'
import type { GraphQLContext } from '../context.ts'
import { listOf, listSizes } from '../cost.ts'
import { NotFoundError } from '../../errors.ts'
import { CalendarProviderEnum, IntegrationStatusEnum } from './enums.ts'
import { SubaccountRef } from './Subaccount.ts'
import { ViewerRef } from './Viewer.ts'

/** Users see their own integrations; admins every integration of their subaccount; nobody another subaccount's. */
export const canSeeIntegration = (context: GraphQLContext, integration: Pick<Integration, 'userId' | 'subaccountId'>) =>
  integration.subaccountId === context.viewer.subaccountId &&
  (integration.userId === context.viewer.userId || context.viewer.role === 'ADMIN')

const visibleIntegrationsWhere = (context: GraphQLContext) => ({
  subaccountId: context.viewer.subaccountId,
  ...(context.viewer.role === 'ADMIN' ? {} : { userId: context.viewer.userId }),
})

/** The integration a mutation acts on; invisible ones are "not found" (their existence is not revealed). */
export async function findIntegrationForMutation(context: GraphQLContext, id: string): Promise<Integration> {
  const integration = await context.services.prisma.integration.findFirst({
    where: { id, ...visibleIntegrationsWhere(context) },
  })
  if (!integration) throw new NotFoundError('An iCloud integration with this id')
  return integration
}

export const IntegrationRef = builder.prismaNode('Integration', {
  id: { field: 'id' },
  description:
    "A user's iCloud Calendar connection in one subaccount: its status, the calendars found in iCloud and the " +
    'choice of linked and conflict calendars. The password is write-only and never returned.',
  authScopes: (integration) => ({
    $all: { subaccount: integration.subaccountId, $any: { admin: true, user: integration.userId } },
  }),
  fields: (t) => ({
    provider: t.expose('provider', { type: CalendarProviderEnum }),
    appleId: t.expose('appleId', { type: 'EmailAddress', description: 'The Apple ID (lower-case).' }),
    status: t.expose('status', { type: IntegrationStatusEnum }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'Why the last sync or refresh failed, for the user; null when the last one succeeded.',
    }),
    statusText: t.string({
      description:
        'A sentence for the user: the status, why syncing fails, and how many events cannot be read and are ignored.',
      select: { id: true, status: true, lastError: true },
      resolve: async (integration, _args, context) =>
        integrationStatusText(
          integration.status,
          integration.lastError,
          await countUnreadableEvents(context.services.prisma, integration.id),
        ),
    }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    nextSyncAt: t.expose('nextSyncAt', { type: 'DateTime', description: 'When the sync engine picks it up next.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was connected.' }),
    user: t.relation('user', { description: 'Whose iCloud account this is.' }),
    calendars: t.relation('calendars', {
      description: 'Every collection found in the iCloud calendar home, selectable or not (with the reason).',
      complexity: listOf(listSizes.integrationCalendars),
      query: { orderBy: [{ displayName: 'asc' }, { path: 'asc' }] },
    }),
    linkedCalendar: t.relation('linkedCalendar', {
      nullable: true,
      description: 'Where new CRM appointments are written; null until configured.',
    }),
    conflictCalendars: t.relation('conflictCalendars', {
      description: 'Calendars whose events block time (including the linked calendar unless opted out).',
      query: { orderBy: { createdAt: 'asc' } },
    }),
  }),
})

builder.queryField('integration', (t) =>
  t.prismaField({
    type: 'Integration',
    nullable: true,
    description: 'One iCloud integration: your own, or (admins) any of your subaccount.',
    args: { id: t.arg.globalID({ required: true, for: IntegrationRef }) },
    resolve: (query, _root, args, context) =>
      context.services.prisma.integration.findFirst({
        ...query,
        where: { id: args.id.id, ...visibleIntegrationsWhere(context) },
      }),
  }),
)

builder.objectField(ViewerRef, 'integrations', (t) =>
  t.prismaField({
    type: ['Integration'],
    description: "The viewer's own calendar integrations in the current subaccount (at most one iCloud integration).",
    resolve: (query, viewer, _args, context) =>
      context.services.prisma.integration.findMany({
        ...query,
        // An API key has no integrations of its own.
        where: { userId: viewer.userId ?? { in: [] }, subaccountId: viewer.subaccountId },
        orderBy: { createdAt: 'asc' },
      }),
  }),
)

builder.prismaObjectField(SubaccountRef, 'integrations', (t) =>
  t.relation('integrations', {
    description: 'Admins: every integration of the subaccount. Users: only their own.',
    query: (_args, context) => ({
      where: context.viewer.role === 'ADMIN' ? {} : { userId: context.viewer.userId },
      orderBy: { createdAt: 'asc' },
    }),
  }),
)
