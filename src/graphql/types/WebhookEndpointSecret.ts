// The success of the two mutations that show a signing secret (once).
import type { EndpointWithSecret } from '../../webhooks/endpoints.ts'
import { builder } from '../builder.ts'
import { WebhookEndpointRef } from './WebhookEndpoint.ts'

export function endpointWithSecretType(name: string, description: string) {
  return builder.objectRef<EndpointWithSecret>(name).implement({
    description,
    fields: (t) => ({
      webhookEndpoint: t.field({ type: WebhookEndpointRef, resolve: (result) => result.endpoint }),
      signingSecret: t.exposeString('signingSecret', {
        description:
          'The `whsec_…` secret for verifying signatures. Shown only here, once: store it in the CRM backend now.',
      }),
    }),
  })
}
