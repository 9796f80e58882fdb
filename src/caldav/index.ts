export { CalDavClient, type CalDavClientOptions, type CalDavCredentials } from './client.ts'
export type { RemoteCalendar } from './calendars.ts'
export type { MultigetResult } from './sync.ts'
export type { RequestInfo } from './http.ts'
export { HostThrottle } from './hostThrottle.ts'
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
