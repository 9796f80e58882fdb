import { WebhookDeliveryState } from '../../generated/prisma/enums.ts'
import type { WebhookEventType } from '../../webhooks/eventTypes.ts'
import { builder } from '../builder.ts'
import { WebhookEventTypeEnum } from './WebhookEndpoint.ts'

const WebhookDeliveryStateEnum = builder.enumType(WebhookDeliveryState, {
  name: 'WebhookDeliveryState',
  description: 'PENDING: waiting for its next attempt. DELIVERED: a 2xx answer. FAILED: retries used up.',
})

export const WebhookDeliveryRef = builder.prismaNode('WebhookDelivery', {
  id: { field: 'id' },
  description: 'One event sent (or to be sent) to one endpoint, with its attempts.',
  select: { endpoint: { select: { subaccountId: true } } },
  authScopes: (delivery) => ({ $all: { subaccount: delivery.endpoint.subaccountId, admin: true } }),
  fields: (t) => ({
    eventId: t.exposeString('eventId', {
      description: 'The `webhook-id` header and the body’s `id`: the same on every attempt; de-duplicate on it.',
    }),
    eventType: t.field({
      type: WebhookEventTypeEnum,
      select: { event: { select: { type: true } } },
      resolve: (delivery) => delivery.event.type as WebhookEventType,
    }),
    payload: t.field({
      type: 'String',
      description: 'The JSON body sent.',
      select: { event: { select: { payload: true } } },
      resolve: (delivery) => JSON.stringify(delivery.event.payload),
    }),
    status: t.expose('state', { type: WebhookDeliveryStateEnum }),
    attempts: t.exposeInt('attempts'),
    lastHttpStatus: t.exposeInt('lastHttpStatus', {
      nullable: true,
      description: 'Null when the last attempt got no answer.',
    }),
    lastError: t.exposeString('lastError', { nullable: true }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it is tried next; null once delivered or failed.',
      select: { state: true, nextAttemptAt: true },
      resolve: (delivery) => (delivery.state === 'PENDING' ? delivery.nextAttemptAt : null),
    }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    endpoint: t.relation('endpoint'),
  }),
})
