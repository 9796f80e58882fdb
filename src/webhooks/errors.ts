// Expected failures of webhook administration, each with a stable code; src/graphql maps them to union members.
export class WebhookError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** Not an absolute http(s) URL we can POST to (or plain http in production). */
export class InvalidWebhookUrlError extends WebhookError {
  constructor(message: string) {
    super('INVALID_WEBHOOK_URL', message)
  }
}

/** The URL is, or resolves to, a loopback, private, link-local or otherwise non-public address (SSRF guard). */
export class UnsafeWebhookUrlError extends WebhookError {
  constructor(message: string) {
    super('UNSAFE_WEBHOOK_URL', message)
  }
}

export class WebhookNotFoundError extends WebhookError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`)
  }
}
