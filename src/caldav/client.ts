import * as calendars from './calendars.ts'
import type { RemoteCalendar } from './calendars.ts'
import { discover } from './discovery.ts'
import { HostThrottle } from './hostThrottle.ts'
import { HttpTransport, type RequestInfo } from './http.ts'
import * as objects from './objects.ts'
import type { PutPrecondition } from './objects.ts'
import * as sync from './sync.ts'
import type { MultigetResult, SyncResult } from './sync.ts'

export interface CalDavCredentials {
  username: string
  password: string
}

export interface CalDavClientOptions {
  /** Entry URL, server configuration (e.g. https://caldav.icloud.com). */
  serverUrl: string
  credentials: CalDavCredentials
  /** Per request (each attempt, body included), default 15000. */
  timeoutMs?: number
  /** For 429/503/502/504 and network errors, default 3 (writes: only when the server did not process them). */
  maxRetries?: number
  /** Longest wait (Retry-After or back-off) the client sleeps through itself, default 30000; beyond it: CalDavRateLimitedError. */
  maxRetryDelayMs?: number
  /** First back-off step, doubled per attempt with full jitter, default 500. */
  baseRetryDelayMs?: number
  /** Called once per HTTP request sent (redirect hops and retries included); status 0 on timeout/network error. */
  onRequest?: (info: RequestInfo) => void
  /** Keep-alive sockets per host, shared by every client with the same value (default 256). */
  connectionsPerHost?: number
  /** Known calendar home (skips discovery). */
  homeUrl?: string
  /** Host pauses (Retry-After) to share with other clients; default: this client's own. */
  hostThrottle?: HostThrottle
}

export class CalDavClient {
  private readonly transport: HttpTransport
  private readonly serverUrl: string
  private homeUrl: string | undefined
  private movedFrom: string | undefined

  constructor(options: CalDavClientOptions) {
    this.serverUrl = new URL(options.serverUrl).href
    this.homeUrl = options.homeUrl ? new URL(options.homeUrl).href : undefined
    this.transport = new HttpTransport({
      username: options.credentials.username,
      password: options.credentials.password,
      timeoutMs: options.timeoutMs ?? 15_000,
      maxRetries: Math.max(0, options.maxRetries ?? 3),
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
      baseRetryDelayMs: options.baseRetryDelayMs ?? 500,
      onRequest: options.onRequest,
      connectionsPerHost: options.connectionsPerHost ?? 256,
      hostThrottle: options.hostThrottle ?? new HostThrottle(),
      onPermanentRedirect: (from, to) => {
        if (this.homeUrl && from.startsWith(this.homeUrl) && new URL(from).origin !== new URL(to).origin)
          this.movedFrom ??= this.homeUrl
      },
    })
  }

  /**
   * True when a request inside the known calendar home was answered 301/308 to another host: iCloud moved the account
   * to another partition host. Requests still succeed (redirects are followed); rediscover to stop paying for them.
   */
  get homeMovedPermanently(): boolean {
    return this.movedFrom !== undefined && this.movedFrom === this.homeUrl
  }

  /** current-user-principal on the entry URL, then calendar-home-set; the home may be on another host. */
  async discover(): Promise<{ principalUrl: string; homeUrl: string }> {
    const found = await discover(this.transport, this.serverUrl)
    this.homeUrl = found.homeUrl
    return found
  }

  /** Every collection in the calendar home, with its kind; callers filter (EVENT_CALENDAR and writable to link). */
  async listCalendars(): Promise<RemoteCalendar[]> {
    return calendars.listCalendars(this.transport, await this.home())
  }

  /** PROPFIND Depth 0 for ctag and sync-token: one request. */
  getCollectionState(calendarUrl: string): Promise<{ ctag: string | null; syncToken: string | null }> {
    return calendars.getCollectionState(this.transport, this.resolve(calendarUrl))
  }

  /** RFC 6578 sync-collection; CalDavInvalidSyncTokenError when a given token is refused. Hrefs are URL paths. */
  syncCollection(calendarUrl: string, syncToken: string | null): Promise<SyncResult> {
    return sync.syncCollection(this.transport, this.resolve(calendarUrl), syncToken)
  }

  /** PROPFIND Depth 1 getetag of the calendar's .ics resources, for the fallback diff. Hrefs are URL paths. */
  listObjectEtags(calendarUrl: string): Promise<{ href: string; etag: string }[]> {
    return sync.listObjectEtags(this.transport, this.resolve(calendarUrl))
  }

  /** calendar-multiget in batches (default 100); every href is accounted for (object or gone), else it throws. */
  multiget(calendarUrl: string, hrefs: string[], batchSize?: number): Promise<MultigetResult> {
    return sync.multiget(this.transport, this.resolve(calendarUrl), hrefs, batchSize)
  }

  /** GET; null when the resource does not exist. */
  getObject(url: string): Promise<{ etag: string | null; data: string } | null> {
    return objects.getObject(this.transport, this.resolve(url))
  }

  /** PUT with If-None-Match: * or If-Match; etag null when the server omits it (then read it back). */
  putObject(url: string, ics: string, precondition: PutPrecondition): Promise<{ etag: string | null }> {
    return objects.putObject(this.transport, this.resolve(url), ics, precondition)
  }

  /** DELETE (If-Match when given); 404 counts as already deleted. */
  deleteObject(url: string, ifMatch?: string): Promise<void> {
    return objects.deleteObject(this.transport, this.resolve(url), ifMatch)
  }

  private async home(): Promise<string> {
    return this.homeUrl ?? (await this.discover()).homeUrl
  }

  /**
   * Absolute URLs are used as given; paths (RemoteCalendar.path, sync hrefs) resolve against the calendar home's
   * origin, which on iCloud is a partition host and not the entry URL.
   */
  private resolve(urlOrPath: string): string {
    return new URL(urlOrPath, this.homeUrl ?? this.serverUrl).href
  }
}
