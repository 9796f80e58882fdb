// Webhook endpoint administration (admins of a subaccount, through src/graphql). The signing secret is returned
// once, by create and rotate; it is stored encrypted because signing needs it in clear.
import { randomUUID } from 'node:crypto'
import type { Services } from '../app/services.ts'
import type { WebhookEndpoint } from '../generated/prisma/client.ts'
import { NotFoundError } from '../errors.ts'
import type { WebhookEventType } from './eventTypes.ts'
import { encryptSigningSecret, generateSigningSecret } from './signing.ts'
import { assertSafeWebhookUrl, type UrlPolicy } from './urlSafety.ts'
import { kickWebhooks } from './worker.ts'

/** How long the replaced secret keeps signing after a rotation. */
const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60_000

export interface EndpointWithSecret {
  endpoint: WebhookEndpoint
  /** `whsec_…`: shown once, never stored in clear. */
  signingSecret: string
}

function urlPolicy(services: Pick<Services, 'config'>): UrlPolicy {
  return { allowPrivate: services.config.webhooks.allowPrivate, requireHttps: services.config.env === 'production' }
}

export async function createWebhookEndpoint(
  services: Services,
  input: { subaccountId: string; url: string; eventTypes: WebhookEventType[]; description?: string | null },
): Promise<EndpointWithSecret> {
  const url = await assertSafeWebhookUrl(input.url, urlPolicy(services))
  const id = randomUUID()
  const signingSecret = generateSigningSecret()
  const secret = encryptSigningSecret(services, id, signingSecret)
  const endpoint = await services.prisma.webhookEndpoint.create({
    data: {
      id,
      subaccountId: input.subaccountId,
      url: url.href,
      description: input.description ?? null,
      eventTypes: [...new Set(input.eventTypes)],
      secretCiphertext: secret.ciphertext,
      secretKeyId: secret.keyId,
    },
  })
  return { endpoint, signingSecret }
}

export interface EndpointChanges {
  url?: string
  eventTypes?: WebhookEventType[]
  description?: string | null
  enabled?: boolean
}

export async function updateWebhookEndpoint(
  services: Services,
  subaccountId: string,
  endpointId: string,
  changes: EndpointChanges,
): Promise<WebhookEndpoint> {
  const current = await findEndpoint(services, subaccountId, endpointId)
  const url =
    changes.url === undefined ? undefined : (await assertSafeWebhookUrl(changes.url, urlPolicy(services))).href
  const enabling = changes.enabled === true && !current.enabled
  const disabling = changes.enabled === false && current.enabled
  return services.prisma.webhookEndpoint.update({
    where: { id: current.id },
    data: {
      url,
      description: changes.description,
      eventTypes: changes.eventTypes ? [...new Set(changes.eventTypes)] : undefined,
      enabled: changes.enabled,
      ...(enabling ? { disabledAt: null, disabledReason: null, failingSince: null } : {}),
      ...(disabling ? { disabledAt: new Date(), disabledReason: 'Disabled by an admin.' } : {}),
    },
  })
}

export async function rotateWebhookSecret(
  services: Services,
  subaccountId: string,
  endpointId: string,
): Promise<EndpointWithSecret> {
  const current = await findEndpoint(services, subaccountId, endpointId)
  const signingSecret = generateSigningSecret()
  const secret = encryptSigningSecret(services, current.id, signingSecret)
  const endpoint = await services.prisma.webhookEndpoint.update({
    where: { id: current.id },
    data: {
      secretCiphertext: secret.ciphertext,
      secretKeyId: secret.keyId,
      previousSecretCiphertext: current.secretCiphertext,
      previousSecretKeyId: current.secretKeyId,
      previousSecretUntil: new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS),
    },
  })
  return { endpoint, signingSecret }
}

/** Sends the delivery's event again: a new attempt now, with the same event id (receivers de-duplicate on it). */
export async function redeliverWebhook(services: Services, subaccountId: string, deliveryId: string) {
  const delivery = await services.prisma.webhookDelivery.findFirst({
    where: { id: deliveryId, endpoint: { subaccountId } },
    select: { id: true },
  })
  if (!delivery) throw new NotFoundError('A webhook delivery with this id')
  const updated = await services.prisma.webhookDelivery.update({
    where: { id: delivery.id },
    data: { state: 'PENDING', nextAttemptAt: new Date(), deliveredAt: null },
  })
  kickWebhooks(services)
  return updated
}

async function findEndpoint(services: Services, subaccountId: string, endpointId: string) {
  const endpoint = await services.prisma.webhookEndpoint.findFirst({ where: { id: endpointId, subaccountId } })
  if (!endpoint) throw new NotFoundError('A webhook endpoint with this id')
  return endpoint
}
