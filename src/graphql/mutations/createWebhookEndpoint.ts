import { z } from 'zod'
import { createWebhookEndpoint } from '../../webhooks/endpoints.ts'
import { builder } from '../builder.ts'
import { commonErrors, directResult } from '../errors.ts'
import { WebhookEventTypeEnum } from '../types/WebhookEndpoint.ts'
import { endpointWithSecretType } from '../types/WebhookEndpointSecret.ts'
import { assertWebhookAdmin } from '../authz.ts'
import { webhookUrlErrors } from '../types/WebhookErrors.ts'

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'Where to POST events (https in production; public addresses).' }),
    eventTypes: t.field({
      type: [WebhookEventTypeEnum],
      required: true,
      description: 'The events to send (at least one).',
      validate: z.array(z.string()).min(1),
    }),
    description: t.string({ required: false, validate: z.string().max(500) }),
  }),
})

const CreateWebhookEndpointSuccess = endpointWithSecretType(
  'CreateWebhookEndpointSuccess',
  'The endpoint, enabled, and its signing secret (shown once).',
)

builder.mutationField('createWebhookEndpoint', (t) =>
  t.field({
    type: CreateWebhookEndpointSuccess,
    description:
      'Registers a webhook endpoint of the subaccount (admins only). Events recorded from now on are delivered to ' +
      'it, signed with the returned secret.',
    errors: directResult('CreateWebhookEndpoint', [...commonErrors, ...webhookUrlErrors]),
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    resolve: (_root, { input }, context) => {
      assertWebhookAdmin(context)
      return createWebhookEndpoint(context.services, {
        subaccountId: context.viewer.subaccountId,
        url: input.url,
        eventTypes: input.eventTypes,
        description: input.description ?? null,
      })
    },
  }),
)
