import { encodeGlobalID } from '@pothos/plugin-relay'
import type { SyncStatusEvent } from '../../realtime/pubsub.ts'
import { builder } from '../builder.ts'
import { IntegrationStatusEnum, SyncOutcomeEnum } from '../types/enums.ts'
import { findIntegrationForMutation, IntegrationRef } from '../types/Integration.ts'
import { SyncRunRef } from '../types/SyncRun.ts'

const SyncPhaseEnum = builder.enumType('SyncPhase', {
  values: ['STARTED', 'FINISHED'] as const,
  description: 'Where a sync run is.',
})

const SyncStatusChangeRef = builder.objectRef<SyncStatusEvent>('SyncStatusChange').implement({
  description: 'A sync run of the integration started or finished; the integration status may have changed with it.',
  fields: (t) => ({
    integrationId: t.id({
      description: 'Global ID of the integration.',
      resolve: (event) => encodeGlobalID('Integration', event.integrationId),
    }),
    status: t.field({
      type: IntegrationStatusEnum,
      description: 'The integration status after this change (NEEDS_REAUTH: tell the user to reconnect).',
      resolve: (event) => event.status as never,
    }),
    phase: t.field({ type: SyncPhaseEnum, resolve: (event) => event.phase }),
    outcome: t.field({ type: SyncOutcomeEnum, nullable: true, resolve: (event) => (event.outcome as never) ?? null }),
    at: t.field({ type: 'DateTime', resolve: (event) => event.at }),
    syncRun: t.field({
      type: SyncRunRef,
      nullable: true,
      description: 'The run, read from the database when delivered.',
      resolve: (event, _args, context) =>
        event.syncRunId
          ? context.services.prisma.syncRun.findUnique({
              where: { id: event.syncRunId },
              include: { integration: { select: { userId: true, subaccountId: true } } },
            })
          : null,
    }),
  }),
})

builder.subscriptionField('syncStatusChanged', (t) =>
  t.field({
    type: SyncStatusChangeRef,
    description: 'Live sync status of an integration: every run start and end (from any process, with Redis).',
    args: { integrationId: t.arg.globalID({ required: true, for: IntegrationRef }) },
    subscribe: async (_root, args, context) => {
      const integration = await findIntegrationForMutation(context, args.integrationId.id)
      return context.services.pubsub.subscribe('syncStatusChanged', integration.id)
    },
    resolve: (event) => event,
  }),
)
