export { CalDavClient, type CalDavClientOptions, type CalDavCredentials } from './client.ts'
export type { RemoteCalendar, CalendarKind } from './calendars.ts'
export type { SyncResult, FetchedObject, MultigetResult } from './sync.ts'
export type { PutPrecondition } from './objects.ts'
export type { RequestInfo } from './http.ts'
export { caldavRequestChannel, parseRetryAfter } from './http.ts'
export {
  CalDavError,
  CalDavAuthError,
  CalDavUnavailableError,
  CalDavIncompleteAnswerError,
  CalDavRateLimitedError,
  CalDavInvalidSyncTokenError,
  CalDavPreconditionFailedError,
  CalDavNotFoundError,
  CalDavForbiddenError,
  APP_SPECIFIC_PASSWORD_HINT,
} from './errors.ts'
