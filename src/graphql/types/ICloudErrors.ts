// The error types of the iCloud connection mutations.
import {
  AlreadyConnectedError,
  AppleIdInUseError,
  CalendarNotWritableError,
  ICloudUnavailableError,
  InvalidCredentialsError,
  NotAnEventCalendarError,
  SubscribedCalendarError,
} from '../../integrations/icloud/errors.ts'
import { errorType } from '../errors.ts'

errorType(
  InvalidCredentialsError,
  'InvalidCredentialsError',
  'iCloud refused the Apple ID and password (wrong, normal Apple ID password, or revoked). Use an app-specific password.',
)
errorType(
  AppleIdInUseError,
  'AppleIdInUseError',
  'The Apple ID is already connected elsewhere (which is not revealed).',
)
errorType(
  AlreadyConnectedError,
  'AlreadyConnectedError',
  'The user already has an iCloud integration in this subaccount.',
)
errorType(ICloudUnavailableError, 'ICloudUnavailableError', 'iCloud timed out, failed or throttled: retry later.')
errorType(CalendarNotWritableError, 'CalendarNotWritableError', 'A read-only calendar cannot be the linked calendar.')
errorType(
  SubscribedCalendarError,
  'SubscribedCalendarError',
  'Subscribed calendars can be neither linked nor conflict.',
)
errorType(
  NotAnEventCalendarError,
  'NotAnEventCalendarError',
  'Reminders lists, inbox/outbox and notifications hold no events.',
)

export const credentialErrors = [InvalidCredentialsError, ICloudUnavailableError]
export const calendarChoiceErrors = [CalendarNotWritableError, SubscribedCalendarError, NotAnEventCalendarError]
