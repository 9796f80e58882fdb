// Scheduling's expected failures (src/scheduling/errors.ts) as GraphQL error types.
import {
  AppointmentCancelledError,
  CalendarNotBookableError,
  IdempotencyKeyReusedError,
  OutsideBookingWindowError,
  SlotUnavailableError,
} from '../../scheduling/errors.ts'
import { errorType } from '../errors.ts'

errorType(SlotUnavailableError, 'SlotUnavailable', 'The time is not (or no longer) an open slot: pick another one.')
errorType(
  OutsideBookingWindowError,
  'OutsideBookingWindow',
  'The start is sooner than the minimum scheduling notice or further ahead than the booking window.',
)
errorType(AppointmentCancelledError, 'AppointmentCancelled', 'The appointment was cancelled and cannot change.')
errorType(
  CalendarNotBookableError,
  'CalendarNotBookable',
  'The calendar cannot take bookings (e.g. it has no members).',
)

errorType(
  IdempotencyKeyReusedError,
  'IdempotencyKeyReusedError',
  'The idempotency key was already used for a different booking (calendar, start or contact) on this calendar.',
)

export {
  AppointmentCancelledError,
  CalendarNotBookableError,
  IdempotencyKeyReusedError,
  OutsideBookingWindowError,
  SlotUnavailableError,
}
