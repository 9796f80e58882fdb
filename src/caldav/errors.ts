// Errors thrown by the CalDAV client. Messages carry method, URL path and status, never credentials or headers.

export class CalDavError extends Error {
  readonly status?: number
  constructor(message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    if (options?.status !== undefined) this.status = options.status
  }
}

/** 401 (or 403 on the principal): bad or revoked credentials; the integration needs re-authentication. */
export class CalDavAuthError extends CalDavError {}

/** Timeouts, network errors, 5xx the retries could not get past. */
export class CalDavUnavailableError extends CalDavError {}

/**
 * A 2xx answer that does not hold what was asked: XML that is not well-formed (cut off mid-body by a dropped
 * connection or a proxy timeout) or a calendar-multiget that leaves requested hrefs unaccounted for. Transient like a
 * network error; nothing it covers may be committed as complete.
 */
export class CalDavIncompleteAnswerError extends CalDavUnavailableError {}

/** 429/503 still answered after the retries, or a Retry-After beyond the cap: try again after retryAfterMs. */
export class CalDavRateLimitedError extends CalDavError {
  readonly retryAfterMs: number
  constructor(message: string, options: { status?: number; retryAfterMs: number; cause?: unknown }) {
    super(message, options)
    this.retryAfterMs = options.retryAfterMs
  }
}

/** The stored sync token is no longer accepted (RFC 6578 §3.2): fall back to a full ETag listing and diff. */
export class CalDavInvalidSyncTokenError extends CalDavError {}

/** 412: the If-Match ETag is stale or If-None-Match: * met an existing resource. */
export class CalDavPreconditionFailedError extends CalDavError {}

export class CalDavNotFoundError extends CalDavError {}

/** 403 on a write: the calendar is read-only for this user. */
export class CalDavForbiddenError extends CalDavError {}

export const APP_SPECIFIC_PASSWORD_HINT =
  'For iCloud, sign in with your Apple ID e-mail and an app-specific password (not your Apple ID password): ' +
  'create one at https://appleid.apple.com under Sign-In and Security > App-Specific Passwords ' +
  '(two-factor authentication must be on).'

/** URL without userinfo, query or fragment, safe for messages and logs. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return '<invalid url>'
  }
}

/** Maps an unexpected HTTP status to the matching error; `what` names the operation for the message. */
export const errorForStatus = (status: number, what: string, url: string): CalDavError => {
  const where = `${what} ${redactUrl(url)}`
  switch (status) {
    case 401:
      return new CalDavAuthError(`${where}: 401 Unauthorized. ${APP_SPECIFIC_PASSWORD_HINT}`, { status })
    case 403:
      return new CalDavForbiddenError(`${where}: 403 Forbidden (no permission, calendar may be read-only)`, { status })
    case 404:
    case 410:
      return new CalDavNotFoundError(`${where}: ${status} Not Found`, { status })
    case 412:
      return new CalDavPreconditionFailedError(`${where}: 412 Precondition Failed (ETag changed or resource exists)`, {
        status,
      })
    default:
      if (status >= 500) return new CalDavUnavailableError(`${where}: server error ${status}`, { status })
      return new CalDavError(`${where}: unexpected status ${status}`, { status })
  }
}
