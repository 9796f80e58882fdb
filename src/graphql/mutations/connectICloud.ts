import { z } from 'zod'
import { APP_SPECIFIC_PASSWORD_HINT } from '../../caldav/index.ts'
import { connectICloud } from '../../integrations/icloud/connect.ts'
import { normalizeAppSpecificPassword } from '../../integrations/icloud/credentials.ts'
import { AlreadyConnectedError, AppleIdInUseError } from '../../integrations/icloud/errors.ts'
import { requireUserId } from '../authz.ts'
import { builder } from '../builder.ts'
import { emailAddressIssue } from '../inputText.ts'
import { mutationResult } from '../errors.ts'
import { credentialErrors } from '../types/ICloudErrors.ts'
import { IntegrationRef } from '../types/Integration.ts'

// Messages never echo the value: it may be a password typed into the wrong field.
export const appSpecificPasswordSchema = z
  .string()
  .max(100, 'An app-specific password has the form xxxx-xxxx-xxxx-xxxx.')
  .refine((value) => normalizeAppSpecificPassword(value) !== null, {
    message: `An app-specific password has the form xxxx-xxxx-xxxx-xxxx. ${APP_SPECIFIC_PASSWORD_HINT}`,
  })

const appleIdSchema = z
  .string()
  .refine((value) => emailAddressIssue(value.trim()) === null && z.email().safeParse(value.trim()).success, {
    message: 'Enter the e-mail address of your Apple ID.',
  })

const ConnectICloudInput = builder.inputType('ConnectICloudInput', {
  fields: (t) => ({
    appleId: t.string({ required: true, description: 'The Apple ID e-mail address.', validate: appleIdSchema }),
    appSpecificPassword: t.string({
      required: true,
      description:
        'An app-specific password (xxxx-xxxx-xxxx-xxxx; spaces and case do not matter) made at appleid.apple.com. ' +
        'Write-only: it is stored encrypted and never returned.',
      validate: appSpecificPasswordSchema,
    }),
  }),
})

builder.mutationField('connectICloud', (t) =>
  t.field({
    type: IntegrationRef,
    description:
      "Connects the viewer's iCloud Calendar in the current subaccount: logs in, discovers the calendars and stores " +
      'the integration as CONNECTED. Then choose calendars with configureICloudCalendars. A failure stores nothing.',
    errors: mutationResult('ConnectICloud', 'integration', [
      ...credentialErrors,
      AppleIdInUseError,
      AlreadyConnectedError,
    ]),
    args: { input: t.arg({ type: ConnectICloudInput, required: true }) },
    resolve: (_root, { input }, context) =>
      connectICloud(context.services, {
        userId: requireUserId(context),
        subaccountId: context.viewer.subaccountId,
        appleId: input.appleId,
        appSpecificPassword: input.appSpecificPassword,
      }),
  }),
)
