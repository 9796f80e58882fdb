// One attempt of one delivery: sign (Standard Webhooks), POST with a timeout, record the answer. A 2xx delivers;
// anything else is retried with exponential back-off and jitter until the retry window (about a day) since the
// event is used up. An endpoint whose deliveries have all failed for WEBHOOK_DISABLE_AFTER_DAYS is disabled, with
// the reason on it; one success resets the count.
import type { Services } from '../app/services.ts'
import { jitteredBackoffMs } from '../outbox/claim.ts'
import { postWebhook, WebhookTimeoutError } from './httpPost.ts'
import { decryptSigningSecret, signDelivery } from './signing.ts'
import { parseWebhookUrl } from './urlSafety.ts'

export type DeliveryOutcome = 'DELIVERED' | 'RETRY' | 'FAILED' | 'SKIPPED'

const FIRST_RETRY_MS = 30_000
const MAX_RETRY_MS = 4 * 60 * 60_000
const HOUR_MS = 60 * 60_000
const DAY_MS = 24 * HOUR_MS

type DeliveryServices = Pick<Services, 'prisma' | 'cipher' | 'config' | 'logger'>

interface AttemptResult {
  ok: boolean
  httpStatus: number | null
  error: string | null
}

export async function deliverOnce(services: DeliveryServices, deliveryId: string): Promise<DeliveryOutcome> {
  const delivery = await services.prisma.webhookDelivery.findUnique({
    where: { id: deliveryId },
    include: { event: true, endpoint: true },
  })
  if (!delivery || delivery.state !== 'PENDING') return 'SKIPPED'
  const { endpoint, event } = delivery
  if (!endpoint.enabled) {
    await services.prisma.webhookDelivery.update({
      where: { id: deliveryId },
      data: { state: 'FAILED', lastError: 'The endpoint is disabled.' },
    })
    return 'FAILED'
  }
  const result = await attempt(services, endpoint, event.id, JSON.stringify(event.payload))
  const now = new Date()
  const attempts = delivery.attempts + 1
  if (result.ok) {
    await services.prisma.$transaction([
      services.prisma.webhookDelivery.update({
        where: { id: deliveryId },
        data: {
          state: 'DELIVERED',
          attempts,
          lastAttemptAt: now,
          deliveredAt: now,
          lastHttpStatus: result.httpStatus,
          lastError: null,
        },
      }),
      services.prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: null } }),
    ])
    return 'DELIVERED'
  }
  const next = new Date(now.getTime() + jitteredBackoffMs(attempts, FIRST_RETRY_MS, MAX_RETRY_MS))
  const giveUp = next.getTime() > event.createdAt.getTime() + services.config.webhooks.retryHours * HOUR_MS
  await services.prisma.webhookDelivery.update({
    where: { id: deliveryId },
    data: {
      state: giveUp ? 'FAILED' : 'PENDING',
      attempts,
      lastAttemptAt: now,
      nextAttemptAt: giveUp ? now : next,
      lastHttpStatus: result.httpStatus,
      lastError: giveUp ? `${result.error} Gave up after ${attempts} attempts.` : result.error,
    },
  })
  await noteEndpointFailure(services, endpoint, now, result)
  return giveUp ? 'FAILED' : 'RETRY'
}

async function attempt(
  services: DeliveryServices,
  endpoint: {
    id: string
    url: string
    secretCiphertext: string
    previousSecretCiphertext: string | null
    previousSecretUntil: Date | null
  },
  eventId: string,
  body: string,
): Promise<AttemptResult> {
  const { webhooks } = services.config
  try {
    const url = parseWebhookUrl(endpoint.url, { allowPrivate: webhooks.allowPrivate, requireHttps: false })
    const secrets = [decryptSigningSecret(services, endpoint.id, endpoint.secretCiphertext)]
    if (
      endpoint.previousSecretCiphertext &&
      endpoint.previousSecretUntil &&
      endpoint.previousSecretUntil > new Date()
    ) {
      secrets.push(decryptSigningSecret(services, endpoint.id, endpoint.previousSecretCiphertext))
    }
    const headers = signDelivery(secrets, eventId, new Date(), body)
    const response = await postWebhook(url, { ...headers, 'user-agent': 'icloud-scheduling-api-webhooks' }, body, {
      timeoutMs: webhooks.timeoutMs,
      allowPrivate: webhooks.allowPrivate,
    })
    if (response.status >= 200 && response.status < 300) return { ok: true, httpStatus: response.status, error: null }
    const snippet = response.body.trim().slice(0, 200)
    return { ok: false, httpStatus: response.status, error: `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}` }
  } catch (error) {
    const message = error instanceof WebhookTimeoutError ? `Timed out: ${error.message}` : errorMessage(error)
    return { ok: false, httpStatus: null, error: message.slice(0, 500) }
  }
}

async function noteEndpointFailure(
  services: DeliveryServices,
  endpoint: { id: string; failingSince: Date | null },
  now: Date,
  result: AttemptResult,
): Promise<void> {
  const failingSince = endpoint.failingSince ?? now
  const days = services.config.webhooks.disableAfterDays
  const disable = now.getTime() - failingSince.getTime() >= days * DAY_MS
  await services.prisma.webhookEndpoint.updateMany({
    where: { id: endpoint.id, enabled: true },
    data: disable
      ? {
          failingSince,
          enabled: false,
          disabledAt: now,
          disabledReason: `Disabled automatically: every delivery failed for ${days} days (last: ${result.error}).`,
        }
      : { failingSince },
  })
  if (disable) services.logger.warn({ endpointId: endpoint.id }, 'webhook endpoint disabled after failing for days')
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message
}
