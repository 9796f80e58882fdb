import { channel } from 'node:diagnostics_channel'
import { hostDispatcher } from './hostAgent.ts'
import type { HostThrottle } from './hostThrottle.ts'
import { exchange, ExchangeTimeout } from './exchange.ts'
import { ACCEPT_ENCODING } from './responseBody.ts'
import {
  CalDavAuthError,
  CalDavError,
  CalDavRateLimitedError,
  CalDavUnavailableError,
  APP_SPECIFIC_PASSWORD_HINT,
  redactUrl,
} from './errors.ts'

export interface RequestInfo {
  method: string
  url: string
  status: number
  durationMs: number
}

export interface TransportOptions {
  username: string
  password: string
  timeoutMs: number
  maxRetries: number
  /** Longest wait the client accepts before retrying itself; beyond it the caller gets CalDavRateLimitedError. */
  maxRetryDelayMs: number
  /** First back-off step; doubled per attempt, full jitter. */
  baseRetryDelayMs: number
  onRequest?: (info: RequestInfo) => void
  /** Sockets per host of the process-wide pool (hostAgent.ts). */
  connectionsPerHost: number
  /** Host pauses (Retry-After) shared with the other clients of the process. */
  hostThrottle: HostThrottle
  /** A 301/308 hop (RFC 9110 §15.4.2, §15.4.9): the resource moved for good, callers may re-map what they store. */
  onPermanentRedirect?: (from: string, to: string) => void
}

/** Response headers as the pool hands them (lower-case names), read like fetch's Headers. */
class ResponseHeaders {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()]
    if (value === undefined) return null
    return Array.isArray(value) ? value.join(', ') : value
  }

  toHeaders(): Headers {
    const headers = new Headers()
    for (const [name, value] of Object.entries(this.raw)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v)
    }
    return headers
  }
}

export interface HttpResult {
  status: number
  headers: ResponseHeaders
  body: string
  /** URL that answered, after redirects: relative hrefs in the body resolve against it. */
  url: string
}

/** Every CalDAV exchange (RequestInfo), for observers such as the metrics; publishing costs nothing unobserved. */
export const caldavRequestChannel = channel('icloud-scheduling:caldav-request')

const MAX_REDIRECTS = 5
const RETRY_STATUS = new Set([429, 502, 503, 504])
// Reads are safe to repeat after a lost answer. A repeated conditional PUT/DELETE whose first attempt did land would
// answer 412/404 for our own write, so writes are retried only when the server said it did not process them.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PROPFIND', 'REPORT'])
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Retry-After as delta-seconds or HTTP-date (RFC 9110 §10.2.3), in ms; null when absent or unreadable. */
export const parseRetryAfter = (value: string | null, now = Date.now()): number | null => {
  if (!value) return null
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  const date = Date.parse(v)
  if (Number.isNaN(date)) return null
  return Math.max(0, date - now)
}

const errorCode = (err: unknown): string | undefined => {
  let e: unknown = err
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * One CalDAV HTTP exchange with Basic auth, per-request timeout (covering the body), manual redirects (fetch drops
 * Authorization on cross-origin redirects, and iCloud moves accounts between partition hosts), and retries for
 * throttling and network failures.
 */
export class HttpTransport {
  private readonly authorization: string

  constructor(private readonly options: TransportOptions) {
    this.authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`
  }

  async request(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<HttpResult> {
    const safe = SAFE_METHODS.has(method)
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < this.options.maxRetries
      await this.waitForHost(method, url)
      let result: HttpResult
      try {
        result = await this.followRedirects(method, url, init)
      } catch (err) {
        if (err instanceof CalDavError) throw err
        const code = errorCode(err)
        const timedOut = err instanceof ExchangeTimeout
        // A timeout is not retried: the caller's budget is timeoutMs, and a server this slow is better left alone.
        const retryable = !timedOut && (safe || (code !== undefined && NOT_SENT_CODES.has(code)))
        if (retryable && canRetry) {
          await sleep(this.backoff(attempt))
          continue
        }
        const reason = timedOut
          ? `timed out after ${this.options.timeoutMs} ms`
          : `network error${code ? ` ${code}` : ''}`
        throw new CalDavUnavailableError(`${method} ${redactUrl(url)}: ${reason}`, {
          cause: timedOut ? undefined : err,
        })
      }
      if (!RETRY_STATUS.has(result.status)) {
        if (result.status === 401) {
          throw new CalDavAuthError(`${method} ${redactUrl(url)}: 401 Unauthorized. ${APP_SPECIFIC_PASSWORD_HINT}`, {
            status: 401,
          })
        }
        return result
      }
      const retryAfter = parseRetryAfter(result.headers.get('retry-after'))
      const throttled = result.status === 429 || result.status === 503
      if (throttled && retryAfter !== null) this.options.hostThrottle.pauseHost(new URL(result.url).origin, retryAfter)
      const delay = retryAfter ?? this.backoff(attempt)
      if (canRetry && delay <= this.options.maxRetryDelayMs) {
        await sleep(delay)
        continue
      }
      const what = `${method} ${redactUrl(url)}: ${result.status}`
      if (throttled) {
        // Tell the engine when to come back: the server's word, or the next back-off step.
        const retryAfterMs = retryAfter ?? this.backoffCap(attempt + 1)
        throw new CalDavRateLimitedError(`${what} (throttled, retry after ${Math.ceil(retryAfterMs / 1000)} s)`, {
          status: result.status,
          retryAfterMs,
        })
      }
      throw new CalDavUnavailableError(`${what} after ${attempt + 1} attempt(s)`, { status: result.status })
    }
  }

  /** A paused host (see HostThrottle) is not asked again before its Retry-After: short waits are slept through. */
  private async waitForHost(method: string, url: string): Promise<void> {
    const wait = this.options.hostThrottle.hostPauseMs(new URL(url).origin)
    if (wait === 0) return
    if (wait <= this.options.maxRetryDelayMs) return sleep(wait)
    throw new CalDavRateLimitedError(
      `${method} ${redactUrl(url)}: host throttled, retry after ${Math.ceil(wait / 1000)} s (not sent)`,
      { status: 503, retryAfterMs: wait },
    )
  }

  private backoffCap(attempt: number): number {
    return Math.min(this.options.maxRetryDelayMs, this.options.baseRetryDelayMs * 2 ** attempt)
  }

  /** Exponential back-off with full jitter. */
  private backoff(attempt: number): number {
    return Math.random() * this.backoffCap(attempt)
  }

  private async followRedirects(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: string },
  ): Promise<HttpResult> {
    let current = url
    for (let hop = 0; ; hop++) {
      const result = await this.once(method, current, init)
      const location = result.headers.get('location')
      if (![301, 302, 307, 308].includes(result.status) || !location) return result
      if (hop >= MAX_REDIRECTS) {
        throw new CalDavUnavailableError(`${method} ${redactUrl(url)}: too many redirects`, { status: result.status })
      }
      const next = new URL(location, current)
      // Never send Basic credentials in clear after a redirect from https.
      if (new URL(current).protocol === 'https:' && next.protocol !== 'https:') {
        throw new CalDavUnavailableError(`${method} ${redactUrl(url)}: refused redirect from https to http`, {
          status: result.status,
        })
      }
      if (result.status === 301 || result.status === 308) this.options.onPermanentRedirect?.(current, next.href)
      current = next.href
    }
  }

  private async once(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: string },
  ): Promise<HttpResult> {
    const started = performance.now()
    let status = 0
    try {
      const answer = await exchange(hostDispatcher(this.options.connectionsPerHost), {
        method,
        url,
        headers: { 'accept-encoding': ACCEPT_ENCODING, ...init.headers, authorization: this.authorization },
        body: init.body,
        timeoutMs: this.options.timeoutMs,
      })
      status = answer.status
      return { status, headers: new ResponseHeaders(answer.headers), body: answer.body, url }
    } finally {
      const info: RequestInfo = { method, url: redactUrl(url), status, durationMs: performance.now() - started }
      this.options.onRequest?.(info)
      if (caldavRequestChannel.hasSubscribers) caldavRequestChannel.publish(info)
    }
  }

  /**
   * A fetch-compatible function for tsdav's request helpers, so their requests get the same auth, timeout, retry and
   * instrumentation. Non-retryable statuses come back as a Response for tsdav to read.
   */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const headers: Record<string, string> = {}
    new Headers(init?.headers).forEach((v, k) => {
      if (k !== 'authorization') headers[k] = v
    })
    // tsdav only ever sends string bodies (XML or iCalendar).
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    const body = typeof init?.body === 'string' ? init.body : init?.body == null ? undefined : String(init.body)
    const result = await this.request(init?.method ?? 'GET', url, { headers, body })
    const nullBody = result.status === 204 || result.status === 304 || (result.status >= 100 && result.status < 200)
    const response = new Response(nullBody ? null : result.body, {
      status: result.status,
      headers: result.headers.toHeaders(),
    })
    Object.defineProperty(response, 'url', { value: result.url })
    return response
  }
}
