import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../webhooks/eventTypes.ts'
import { builder } from '../builder.ts'
import { assertWebhookAdmin } from '../authz.ts'
import { nullableDateTime } from '../fieldOptions.ts'

const enumName = (type: WebhookEventType) => type.toUpperCase().replace('.', '_')

export const WebhookEventTypeEnum = builder.enumType('WebhookEventType', {
  description: 'What a webhook reports; the wire name (e.g. `appointment.booked`) is the body’s `type`.',
  values: Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      enumName(type),
      { value: type, description: `\`${type}\`: ${WEBHOOK_EVENT_DESCRIPTIONS[type]}` },
    ]),
  ),
})

export const WebhookEndpointRef = builder.prismaNode('WebhookEndpoint', {
  id: { field: 'id' },
  description:
    'A URL of the CRM backend that receives signed webhooks (Standard Webhooks: `webhook-id`, `webhook-timestamp`, ' +
    '`webhook-signature`) for the event types it subscribed to. Admins only.',
  authScopes: (endpoint) => ({ $all: { subaccount: endpoint.subaccountId, admin: true } }),
  fields: (t) => ({
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    eventTypes: t.field({
      type: [WebhookEventTypeEnum],
      select: { eventTypes: true },
      resolve: (endpoint) => endpoint.eventTypes as WebhookEventType[],
    }),
    enabled: t.exposeBoolean('enabled', { description: 'Disabled endpoints get no new events.' }),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: 'Why it is disabled: by an admin, or automatically after every delivery failed for days.',
    }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    failingSince: t.expose(
      'failingSince',
      nullableDateTime('Since when every delivery has failed; null after a success.'),
    ),
    secretRotatedUntil: t.expose(
      'previousSecretUntil',
      nullableDateTime(
        'After a rotation, the old secret also signs until then (two signatures in `webhook-signature`).',
      ),
    ),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deliveries: t.relatedConnection('deliveries', {
      description: 'Deliveries to this endpoint, newest first.',
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    }),
  }),
})

builder.queryField('webhookEndpoints', (t) =>
  t.prismaField({
    type: ['WebhookEndpoint'],
    description: 'The webhook endpoints of your subaccount, oldest first (admins only).',
    resolve: (query, _root, _args, context) => {
      assertWebhookAdmin(context)
      return context.services.prisma.webhookEndpoint.findMany({
        ...query,
        where: { subaccountId: context.viewer.subaccountId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: 100,
      })
    },
  }),
)
