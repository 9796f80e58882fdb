// Expected failures of scheduling operations. Like AppError (src/graphql/errors.ts) they are GraphQLErrors with
// `extensions.code`, so queries and subscriptions show them unmasked, but they do not pull in the schema builder:
// src/graphql/types/SchedulingErrors.ts registers them as members of mutation result unions.
import { GraphQLError } from 'graphql'

export class SchedulingError extends GraphQLError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message, { extensions: { code } })
    this.name = new.target.name
  }
}

/** The CRM calendar, member or appointment does not exist in the caller's subaccount. */
export class SchedulingNotFoundError extends SchedulingError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`)
  }
}

/** The requested start is not (or no longer) an open slot. */
export class SlotUnavailableError extends SchedulingError {
  constructor(message = 'This time is no longer available. Pick another slot.') {
    super('SLOT_UNAVAILABLE', message)
  }
}

/** The start is before the minimum scheduling notice or beyond the booking window. */
export class OutsideBookingWindowError extends SchedulingError {
  constructor(message: string) {
    super('OUTSIDE_BOOKING_WINDOW', message)
  }
}

/** The appointment was cancelled; it can no longer be rescheduled. */
export class AppointmentCancelledError extends SchedulingError {
  constructor() {
    super('APPOINTMENT_CANCELLED', 'This appointment was cancelled.')
  }
}

/** The calendar has no members (or, for class booking, no seats) and cannot be booked. */
export class CalendarNotBookableError extends SchedulingError {
  constructor(message: string) {
    super('CALENDAR_NOT_BOOKABLE', message)
  }
}

/** An input that passed the schema but breaks a domain rule (ranges, settings, working hours). */
export class InvalidSchedulingInputError extends SchedulingError {
  constructor(
    message: string,
    readonly fieldPath: string[] = [],
  ) {
    super('INVALID_INPUT', message)
  }
}

/** The same idempotency key was already used for a different booking on this calendar. */
export class IdempotencyKeyReusedError extends SchedulingError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different booking.')
  }
}
