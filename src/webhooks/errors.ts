// Expected failures of webhook administration, each with a stable code; src/graphql maps them to union members.
import { DomainError } from '../errors.ts'

/** Not an absolute http(s) URL we can POST to (or plain http in production). */
export class InvalidWebhookUrlError extends DomainError {
  constructor(message: string) {
    super('INVALID_WEBHOOK_URL', message)
  }
}

/** The URL is, or resolves to, a loopback, private, link-local or otherwise non-public address (SSRF guard). */
export class UnsafeWebhookUrlError extends DomainError {
  constructor(message: string) {
    super('UNSAFE_WEBHOOK_URL', message)
  }
}
