// The public booking surface's expected failures as GraphQL error types.
import { InvalidManageTokenError, PublicCalendarNotFoundError, SlugTakenError } from '../../publicBooking/errors.ts'
import { errorType } from '../errors.ts'

errorType(
  PublicCalendarNotFoundError,
  'CalendarNotFoundError',
  'No published calendar at these slugs (a missing and an unpublished calendar give the same answer).',
)
errorType(
  InvalidManageTokenError,
  'InvalidManageTokenError',
  'The manage token is malformed, forged or expired, or its booking no longer exists.',
)
errorType(SlugTakenError, 'SlugTakenError', 'The slug is already used; choose another one.')

export { InvalidManageTokenError, PublicCalendarNotFoundError, SlugTakenError }
