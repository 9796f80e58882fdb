import { refreshCalendars, type RefreshResult } from '../../integrations/icloud/refreshCalendars.ts'
import { builder } from '../builder.ts'
import { commonErrors, directResult } from '../errors.ts'
import { credentialErrors } from '../types/ICloudErrors.ts'
import { findIntegrationForMutation, IntegrationRef } from '../types/Integration.ts'

const RefreshCalendarsSuccess = builder.objectRef<RefreshResult>('RefreshCalendarsSuccess').implement({
  description: 'The calendar list is up to date with iCloud.',
  fields: (t) => ({
    integration: t.field({ type: IntegrationRef, resolve: (result) => result.integration }),
    addedCalendars: t.exposeStringList('added', { description: 'Names of newly found calendars.' }),
    removedCalendars: t.exposeStringList('removed', {
      description:
        'Names of calendars gone from iCloud; they were removed from the configuration (notice for the user).',
    }),
    linkedCalendarRemoved: t.exposeBoolean('linkedCalendarRemoved', {
      description: 'The linked calendar was removed: choose a new one before new appointments can be written.',
    }),
  }),
})

const RefreshCalendarsInput = builder.inputType('RefreshCalendarsInput', {
  fields: (t) => ({ integrationId: t.globalID({ required: true, for: IntegrationRef }) }),
})

builder.mutationField('refreshCalendars', (t) =>
  t.field({
    type: RefreshCalendarsSuccess,
    description:
      'Rediscovers the iCloud calendars: new ones appear, removed ones disappear (with their linked/conflict role). ' +
      'InvalidCredentialsError means the stored password was revoked: the integration is set to NEEDS_REAUTH.',
    errors: directResult('RefreshCalendars', [...commonErrors, ...credentialErrors]),
    args: { input: t.arg({ type: RefreshCalendarsInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const integration = await findIntegrationForMutation(context, input.integrationId.id)
      return refreshCalendars(context.services, integration)
    },
  }),
)
