// Expected failures of the public booking surface, with stable codes (same pattern as ../scheduling/errors.ts):
// src/graphql registers them as union members or shows them as coded GraphQL errors.
import { DomainError } from '../errors.ts'

/** No published calendar under these slugs. A missing and an unpublished calendar give the same answer. */
export class PublicCalendarNotFoundError extends DomainError {
  constructor() {
    super('CALENDAR_NOT_FOUND', 'There is no bookable calendar at this address.')
  }
}

/** The manage token is malformed, forged, expired, or names an appointment that no longer exists. */
export class InvalidManageTokenError extends DomainError {
  constructor() {
    super('INVALID_MANAGE_TOKEN', 'This booking link is not valid. Use the link from your confirmation.')
  }
}

/** The slug is already used by another calendar of the subaccount (or another subaccount). */
export class SlugTakenError extends DomainError {
  constructor(what: 'calendar' | 'subaccount') {
    super(
      'SLUG_TAKEN',
      what === 'calendar'
        ? 'Another calendar of this subaccount already uses this slug.'
        : 'Another subaccount already uses this slug.',
    )
  }
}

/** Too many public requests from one address or for one calendar (src/graphql answers HTTP 429 + Retry-After). */
export class TooManyRequestsError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests. Try again shortly.',
  ) {
    super('RATE_LIMITED', message)
  }
}
