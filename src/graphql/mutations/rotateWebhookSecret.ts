import { rotateWebhookSecret } from '../../webhooks/endpoints.ts'
import { builder } from '../builder.ts'
import { commonErrors, directResult } from '../errors.ts'
import { WebhookEndpointRef } from '../types/WebhookEndpoint.ts'
import { endpointWithSecretType } from '../types/WebhookEndpointSecret.ts'
import { assertWebhookAdmin } from '../authz.ts'

const RotateWebhookSecretInput = builder.inputType('RotateWebhookSecretInput', {
  fields: (t) => ({ webhookEndpointId: t.globalID({ required: true, for: WebhookEndpointRef }) }),
})

const RotateWebhookSecretSuccess = endpointWithSecretType(
  'RotateWebhookSecretSuccess',
  'The new signing secret (shown once). For 24 hours deliveries carry signatures with both the old and the new one.',
)

builder.mutationField('rotateWebhookSecret', (t) =>
  t.field({
    type: RotateWebhookSecretSuccess,
    description: 'Replaces an endpoint’s signing secret (admins only); the old one keeps signing for 24 hours.',
    errors: directResult('RotateWebhookSecret', commonErrors),
    args: { input: t.arg({ type: RotateWebhookSecretInput, required: true }) },
    resolve: (_root, { input }, context) => {
      assertWebhookAdmin(context)
      return rotateWebhookSecret(context.services, context.viewer.subaccountId, input.webhookEndpointId.id)
    },
  }),
)
