import { reconnectICloud } from '../../integrations/icloud/reconnect.ts'
import type { RefreshResult } from '../../integrations/icloud/refreshCalendars.ts'
import { builder } from '../builder.ts'
import { commonErrors, directResult } from '../errors.ts'
import { credentialErrors } from '../types/ICloudErrors.ts'
import { findIntegrationForMutation, IntegrationRef } from '../types/Integration.ts'
import { appSpecificPasswordSchema } from './connectICloud.ts'

const ReconnectICloudSuccess = builder.objectRef<RefreshResult>('ReconnectICloudSuccess').implement({
  description: 'The new password works and is stored; the integration is CONNECTED with its configuration kept.',
  fields: (t) => ({
    integration: t.field({ type: IntegrationRef, resolve: (result) => result.integration }),
    removedCalendars: t.exposeStringList('removed', {
      description: 'Names of calendars that no longer exist in iCloud and were removed from the configuration.',
    }),
    linkedCalendarRemoved: t.exposeBoolean('linkedCalendarRemoved', {
      description: 'The linked calendar was among them: choose a new one.',
    }),
  }),
})

const ReconnectICloudInput = builder.inputType('ReconnectICloudInput', {
  fields: (t) => ({
    integrationId: t.globalID({ required: true, for: IntegrationRef }),
    appSpecificPassword: t.string({
      required: true,
      description: 'A new app-specific password for the same Apple ID. Write-only.',
      validate: appSpecificPasswordSchema,
    }),
  }),
})

builder.mutationField('reconnectICloud', (t) =>
  t.field({
    type: ReconnectICloudSuccess,
    description:
      'Stores a new app-specific password after iCloud refused the old one (NEEDS_REAUTH), or to rotate it. The ' +
      'password is checked against iCloud first; linked and conflict calendars and history are kept.',
    errors: directResult('ReconnectICloud', [...commonErrors, ...credentialErrors]),
    args: { input: t.arg({ type: ReconnectICloudInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const integration = await findIntegrationForMutation(context, input.integrationId.id)
      return reconnectICloud(context.services, integration, input.appSpecificPassword)
    },
  }),
)
