import { configureCalendars, type ConfigureResult } from '../../integrations/icloud/configureCalendars.ts'
import { builder } from '../builder.ts'
import { commonErrors, directResult } from '../errors.ts'
import { CalendarRef } from '../types/Calendar.ts'
import { calendarChoiceErrors } from '../types/ICloudErrors.ts'
import { findIntegrationForMutation, IntegrationRef } from '../types/Integration.ts'

const ConfigureICloudCalendarsSuccess = builder
  .objectRef<ConfigureResult>('ConfigureICloudCalendarsSuccess')
  .implement({
    description: 'The linked and conflict calendars are as requested.',
    fields: (t) => ({
      integration: t.field({ type: IntegrationRef, resolve: (result) => result.integration }),
      changed: t.exposeBoolean('changed', { description: 'False when the configuration was already exactly this.' }),
    }),
  })

const ConfigureICloudCalendarsInput = builder.inputType('ConfigureICloudCalendarsInput', {
  fields: (t) => ({
    integrationId: t.globalID({ required: true, for: IntegrationRef }),
    linkedCalendarId: t.globalID({
      required: true,
      for: CalendarRef,
      description: 'Where CRM appointments are written: a writable event calendar of this integration.',
    }),
    conflictCalendarIds: t.globalIDList({
      required: true,
      for: CalendarRef,
      description: 'Calendars whose events block time (read-only ones allowed). May be empty.',
    }),
    linkedAlsoConflict: t.boolean({
      required: false,
      defaultValue: true,
      description: 'The linked calendar blocks time too (default). Set false to opt out.',
    }),
  }),
})

builder.mutationField('configureICloudCalendars', (t) =>
  t.field({
    type: ConfigureICloudCalendarsSuccess,
    description:
      'Chooses the linked calendar and the conflict calendars. Idempotent. Newly added conflict calendars are ' +
      'synced right away; removed ones stop blocking time at once.',
    errors: directResult('ConfigureICloudCalendars', [...commonErrors, ...calendarChoiceErrors]),
    args: { input: t.arg({ type: ConfigureICloudCalendarsInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const integration = await findIntegrationForMutation(context, input.integrationId.id)
      return configureCalendars(context.services, integration, {
        linkedCalendarId: input.linkedCalendarId.id,
        conflictCalendarIds: input.conflictCalendarIds.map((id) => id.id),
        linkedAlsoConflict: input.linkedAlsoConflict,
      })
    },
  }),
)
