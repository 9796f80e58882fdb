// Expected failures of the iCloud connection flows. Each has a stable code; src/graphql/types/ICloudErrors.ts makes
// them members of the mutation result unions. Messages never contain the password.
import { APP_SPECIFIC_PASSWORD_HINT } from '../../caldav/index.ts'
import { DomainError } from '../../errors.ts'

/** 401 from iCloud: wrong, normal (non app-specific) or revoked password. iCloud does not say which. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('INVALID_CREDENTIALS', `iCloud refused the Apple ID or password. ${APP_SPECIFIC_PASSWORD_HINT}`)
  }
}

/** The Apple ID serves another integration (another subaccount or user); which one is not revealed. */
export class AppleIdInUseError extends DomainError {
  constructor() {
    super(
      'APPLE_ID_IN_USE',
      'This Apple ID is already connected elsewhere. Disconnect it there first, or use another Apple ID.',
    )
  }
}

export class AlreadyConnectedError extends DomainError {
  constructor() {
    super(
      'ALREADY_CONNECTED',
      'You already have an iCloud Calendar connection in this subaccount. Reconnect or disconnect it instead.',
    )
  }
}

/** Timeouts, 5xx, throttling and network failures: nothing is wrong with the input, try again later. */
export class ICloudUnavailableError extends DomainError {
  constructor(detail?: string) {
    super(
      'ICLOUD_UNAVAILABLE',
      `iCloud could not be reached or did not answer in time${detail ? ` (${detail})` : ''}. Please try again later.`,
    )
  }
}

/** The calendar can never be the linked calendar (or a conflict calendar); the message gives the reason. */
class CalendarNotSelectableError extends DomainError {
  constructor(code: string, calendarName: string, role: 'linked' | 'conflict', reason: string) {
    super(
      code,
      `"${calendarName}" cannot be used as ${role === 'linked' ? 'the linked' : 'a conflict'} calendar: ${reason}`,
    )
  }
}

/** Read-only calendars (e.g. shared read-only with the user) can block time but cannot receive appointments. */
export class CalendarNotWritableError extends CalendarNotSelectableError {
  constructor(calendarName: string, reason: string) {
    super('CALENDAR_NOT_WRITABLE', calendarName, 'linked', reason)
  }
}

export class SubscribedCalendarError extends CalendarNotSelectableError {
  constructor(calendarName: string, role: 'linked' | 'conflict', reason: string) {
    super('SUBSCRIBED_CALENDAR', calendarName, role, reason)
  }
}

/** Reminders lists, scheduling inbox/outbox, notifications: collections that hold no events. */
export class NotAnEventCalendarError extends CalendarNotSelectableError {
  constructor(calendarName: string, role: 'linked' | 'conflict', reason: string) {
    super('NOT_AN_EVENT_CALENDAR', calendarName, role, reason)
  }
}
