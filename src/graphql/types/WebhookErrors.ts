// Webhook administration's expected failures as GraphQL error types, and the bridge to the common ones.
import {
  InvalidWebhookUrlError,
  UnsafeWebhookUrlError,
  WebhookError,
  WebhookNotFoundError,
} from '../../webhooks/errors.ts'
import { builder } from '../builder.ts'
import type { GraphQLContext } from '../context.ts'
import { ErrorInterface, ForbiddenError, NotFoundError } from '../errors.ts'

function webhookErrorType(errorClass: new (message: string) => WebhookError, name: string, description: string) {
  builder.objectType(errorClass, {
    name,
    description,
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof errorClass,
    fields: () => ({}),
  })
}

webhookErrorType(
  InvalidWebhookUrlError,
  'InvalidWebhookUrl',
  'The URL is not an absolute http(s) URL without credentials (https only in production).',
)
webhookErrorType(
  UnsafeWebhookUrlError,
  'UnsafeWebhookUrl',
  'The URL is, or resolves to, a loopback, private, link-local or other non-public address.',
)

export const webhookUrlErrors = [InvalidWebhookUrlError, UnsafeWebhookUrlError]

/** Runs webhook domain code for a mutation: not-found becomes the common NotFoundError member. */
export async function webhookCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof WebhookNotFoundError) throw new NotFoundError(error.message.replace(/ was not found\.$/, ''))
    throw error
  }
}

export function assertWebhookAdmin(context: GraphQLContext): void {
  if (context.viewer.role !== 'ADMIN') throw new ForbiddenError('Only admins of the subaccount manage webhooks.')
}
