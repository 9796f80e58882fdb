import { encodeGlobalID } from '@pothos/plugin-relay'
import { disconnectICloud } from '../../integrations/icloud/disconnect.ts'
import { builder } from '../builder.ts'
import { mutationResult } from '../errors.ts'
import { findIntegrationForMutation, IntegrationRef } from '../types/Integration.ts'

const DisconnectICloudInput = builder.inputType('DisconnectICloudInput', {
  fields: (t) => ({ integrationId: t.globalID({ required: true, for: IntegrationRef }) }),
})

builder.mutationField('disconnectICloud', (t) =>
  t.field({
    type: 'ID',
    description:
      'Removes the integration: the stored password and everything read from iCloud (calendars, events, blocked ' +
      'slots, sync history). CRM appointments stay. The Apple ID can then be connected elsewhere.',
    errors: mutationResult('DisconnectICloud', 'disconnectedIntegrationId'),
    args: { input: t.arg({ type: DisconnectICloudInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const integration = await findIntegrationForMutation(context, input.integrationId.id)
      await disconnectICloud(context.services, integration)
      return encodeGlobalID('Integration', integration.id)
    },
  }),
)
