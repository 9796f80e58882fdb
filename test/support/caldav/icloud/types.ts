/** 'partition2' is the host an account moves to (moveToSecondPartition). */
export type HostKind = 'entry' | 'partition' | 'partition2'

export interface RecordedRequest {
  method: string
  host: HostKind
  /** Path as the client sent it (before mapping to Radicale), with query string */
  path: string
  /** HTTP status answered; 0 when the connection was dropped on purpose */
  status: number
  depth?: string
  /** First 300 characters of the request body */
  bodyStart: string
  /** When the request arrived (epoch ms). */
  at: number
}

export interface ICloudQuirks {
  /**
   * The next `count` requests get 503 (or `status`, e.g. 429) with `Retry-After: retryAfterSeconds`; count goes down
   * to 0.
   */
  throttle: { count: number; retryAfterSeconds: number; status?: 429 | 503 } | null
  /** Every sync-collection REPORT with a non-empty token gets a bare 403 (as after a token expiry). */
  invalidateSyncTokens: boolean
  /** Strip the ETag header from PUT responses (iCloud sometimes omits it). */
  omitEtagOnPut: boolean
  /** Serve VTIMEZONE blocks after the VEVENTs in GET and REPORT calendar data. */
  vtimezoneAfterVevent: boolean
  /** Wait this long before answering every request. */
  delayMs: number
  /** true: destroy every connection without answering; a number n: only the next n requests. */
  dropConnections: boolean | number
  /** Leave CS:source out of the subscribed calendar's properties. */
  omitSubscribedSource: boolean
  /** The principal names no calendar-home-set (as for an account whose iCloud Calendar is off). */
  omitCalendarHomeSet: boolean
  /**
   * The next `count` 207 answers to matching requests arrive cut off after `fraction` of their body, framed as a
   * complete HTTP response (as behind a proxy that timed out mid-body): only the XML says it is incomplete.
   */
  cutOff: { request: CutOffRequest; count: number; fraction: number } | null
}

/** Which answers `cutOff` cuts: a sync-collection REPORT, a calendar-multiget REPORT, a Depth 1 PROPFIND listing. */
export type CutOffRequest = 'sync-collection' | 'calendar-multiget' | 'propfind-listing'

export interface AddAccountOptions {
  appleId: string
  /** xxxx-xxxx-xxxx-xxxx */
  appSpecificPassword: string
  /** The normal Apple ID password: refused with 401 exactly like a wrong one. */
  normalPassword?: string
  /** Numeric string; generated when omitted. */
  dsid?: string
  /** Create the default "calendar" (VEVENT+VTODO) and "tasks" (Reminders, VTODO only) collections. Default true. */
  defaultCalendars?: boolean
}

export interface AddCalendarOptions {
  displayName?: string
  /** #RRGGBBAA */
  color?: string
  components?: ('VEVENT' | 'VTODO')[]
  /** Shared with this account read-only: CS:shared, only read privileges, PUT/DELETE → 403. */
  readOnlyShared?: boolean
}

export interface ICloudTestAccount {
  appleId: string
  dsid: string
  /** /<dsid>/principal/ */
  principalPath: string
  /** /<dsid>/calendars/ */
  homePath: string
  /** Absolute URL of the calendar on the partition host, with trailing slash. */
  calendarUrl(name: string): string
  addCalendar(name: string, opts?: AddCalendarOptions): Promise<string>
  /** Writes straight to the backing Radicale ("edited in iCloud"): not recorded, no quirks. Returns the ETag. */
  putEvent(calendarName: string, filename: string, ics: string): Promise<string>
  deleteEvent(calendarName: string, filename: string): Promise<void>
  /** The current app-specific password gets 401 from now on. */
  revokePassword(): void
  /** Issues a new app-specific password (and clears the revocation). */
  setAppSpecificPassword(password: string): void
  /**
   * iCloud moved the account to another partition host: the principal names the home on `secondPartitionUrl`, and
   * the old host answers 404 (or 301 to the same path on the new host) for the home and everything in it.
   */
  moveToSecondPartition(oldHostAnswers: 404 | 301): void
}

export interface ICloudTestServer {
  /** "caldav.icloud.com": http://127.0.0.1:<port>/ */
  entryUrl: string
  /** "p42-caldav.icloud.com": http://127.0.0.1:<port>/ */
  partitionUrl: string
  /** "p43-caldav.icloud.com": where moveToSecondPartition puts an account. */
  secondPartitionUrl: string
  addAccount(opts: AddAccountOptions): Promise<ICloudTestAccount>
  /** Mutable: switch quirks per test; resetQuirks() restores the defaults. */
  quirks: ICloudQuirks
  resetQuirks(): void
  /** Every request that reached the proxy, in order. Clear with clearRequests() or `requests.length = 0`. */
  requests: RecordedRequest[]
  clearRequests(): void
  stop(): Promise<void>
}
