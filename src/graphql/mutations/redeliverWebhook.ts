import { redeliverWebhook } from '../../webhooks/endpoints.ts'
import { builder } from '../builder.ts'
import { mutationResult } from '../errors.ts'
import { WebhookDeliveryRef } from '../types/WebhookDelivery.ts'
import { assertWebhookAdmin } from '../authz.ts'

const RedeliverWebhookInput = builder.inputType('RedeliverWebhookInput', {
  fields: (t) => ({ deliveryId: t.globalID({ required: true, for: WebhookDeliveryRef }) }),
})

builder.mutationField('redeliverWebhook', (t) =>
  t.prismaField({
    type: 'WebhookDelivery',
    description:
      'Sends a delivery’s event again, now, with the same event id (admins only). Delivered or failed alike; it is ' +
      'retried afterwards only within the event’s retry window.',
    errors: mutationResult('RedeliverWebhook', 'webhookDelivery'),
    args: { input: t.arg({ type: RedeliverWebhookInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      assertWebhookAdmin(context)
      const delivery = await redeliverWebhook(context.services, context.viewer.subaccountId, input.deliveryId.id)
      return context.services.prisma.webhookDelivery.findUniqueOrThrow({ ...query, where: { id: delivery.id } })
    },
  }),
)
