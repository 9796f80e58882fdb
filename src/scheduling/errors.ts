// Expected failures of scheduling operations. Not found and invalid input are the common ones in src/errors.ts;
// src/graphql/types/SchedulingErrors.ts makes these members of the mutation result unions.
import { DomainError } from '../errors.ts'

/** The requested start is not (or no longer) an open slot. */
export class SlotUnavailableError extends DomainError {
  constructor(message = 'This time is no longer available. Pick another slot.') {
    super('SLOT_UNAVAILABLE', message)
  }
}

/** The start is before the minimum scheduling notice or beyond the booking window. */
export class OutsideBookingWindowError extends DomainError {
  constructor(message: string) {
    super('OUTSIDE_BOOKING_WINDOW', message)
  }
}

/** The appointment was cancelled; it can no longer be rescheduled. */
export class AppointmentCancelledError extends DomainError {
  constructor() {
    super('APPOINTMENT_CANCELLED', 'This appointment was cancelled.')
  }
}

/** The calendar has no members (or, for class booking, no seats) and cannot be booked. */
export class CalendarNotBookableError extends DomainError {
  constructor(message: string) {
    super('CALENDAR_NOT_BOOKABLE', message)
  }
}

/** The same idempotency key was already used for a different booking on this calendar. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different booking.')
  }
}
