import { z } from 'zod'
import { updateWebhookEndpoint } from '../../webhooks/endpoints.ts'
import { builder } from '../builder.ts'
import { mutationResult } from '../errors.ts'
import { WebhookEndpointRef, WebhookEventTypeEnum } from '../types/WebhookEndpoint.ts'
import { assertWebhookAdmin } from '../authz.ts'
import { webhookUrlErrors } from '../types/WebhookErrors.ts'

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    webhookEndpointId: t.globalID({ required: true, for: WebhookEndpointRef }),
    url: t.string({ required: false }),
    eventTypes: t.field({ type: [WebhookEventTypeEnum], required: false, validate: z.array(z.string()).min(1) }),
    description: t.string({ required: false, validate: z.string().max(500) }),
    enabled: t.boolean({
      required: false,
      description:
        'false: no new events are sent and waiting deliveries fail. true: re-enables (and resets the count).',
    }),
  }),
})

builder.mutationField('updateWebhookEndpoint', (t) =>
  t.prismaField({
    type: 'WebhookEndpoint',
    description: 'Changes an endpoint’s URL, events or description, or disables / re-enables it (admins only).',
    errors: mutationResult('UpdateWebhookEndpoint', 'webhookEndpoint', webhookUrlErrors),
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      assertWebhookAdmin(context)
      const endpoint = await updateWebhookEndpoint(
        context.services,
        context.viewer.subaccountId,
        input.webhookEndpointId.id,
        {
          url: input.url ?? undefined,
          eventTypes: input.eventTypes ?? undefined,
          description: input.description === undefined ? undefined : input.description,
          enabled: input.enabled ?? undefined,
        },
      )
      return context.services.prisma.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id: endpoint.id } })
    },
  }),
)
