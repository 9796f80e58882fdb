// Webhook administration's expected failures as GraphQL error types.
import { InvalidWebhookUrlError, UnsafeWebhookUrlError } from '../../webhooks/errors.ts'
import { errorType } from '../errors.ts'

errorType(
  InvalidWebhookUrlError,
  'InvalidWebhookUrl',
  'The URL is not an absolute http(s) URL without credentials (https only in production).',
)
errorType(
  UnsafeWebhookUrlError,
  'UnsafeWebhookUrl',
  'The URL is, or resolves to, a loopback, private, link-local or other non-public address.',
)

export const webhookUrlErrors = [InvalidWebhookUrlError, UnsafeWebhookUrlError]
