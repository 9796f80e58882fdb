import type { CutOffRequest, ICloudQuirks } from './types.ts'

export function defaultQuirks(): ICloudQuirks {
  return {
    throttle: null,
    invalidateSyncTokens: false,
    omitEtagOnPut: false,
    vtimezoneAfterVevent: false,
    delayMs: 0,
    dropConnections: false,
    omitSubscribedSource: false,
    omitCalendarHomeSet: false,
    cutOff: null,
  }
}

/** Consumes one throttled request; returns the status and Retry-After seconds when this request must be refused. */
export function takeThrottle(quirks: ICloudQuirks): { status: 429 | 503; retryAfterSeconds: number } | undefined {
  const throttle = quirks.throttle
  if (!throttle || throttle.count <= 0) return undefined
  throttle.count -= 1
  if (throttle.count <= 0) quirks.throttle = null
  return { status: throttle.status ?? 503, retryAfterSeconds: throttle.retryAfterSeconds }
}

/** Consumes one dropped connection; returns true when this request's socket must be destroyed. */
export function takeDrop(quirks: ICloudQuirks): boolean {
  if (quirks.dropConnections === true) return true
  if (typeof quirks.dropConnections === 'number' && quirks.dropConnections > 0) {
    quirks.dropConnections -= 1
    if (quirks.dropConnections === 0) quirks.dropConnections = false
    return true
  }
  return false
}

/** iCloud refuses XML bodies with whitespace before the XML declaration (always on). */
export function hasLeadingWhitespaceXml(body: string): boolean {
  return /^\s+<\?xml/.test(body)
}

export function isFreeBusyQuery(method: string, body: string): boolean {
  return method === 'REPORT' && /<(?:[\w.-]+:)?free-busy-query[\s/>]/.test(body)
}

/** Moves every VTIMEZONE block to just before END:VCALENDAR, as iCloud sometimes writes them. */
export function moveTimezonesAfterEvents(ics: string): string {
  const blocks = ics.match(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE(?:\r?\n)?/g)
  if (!blocks) return ics
  const newline = ics.includes('\r\n') ? '\r\n' : '\n'
  const without = ics.replace(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE(?:\r?\n)?/g, '')
  const normalized = blocks.map((b) => (/\r?\n$/.test(b) ? b : b + newline)).join('')
  const end = without.lastIndexOf('END:VCALENDAR')
  if (end < 0) return ics
  return without.slice(0, end) + normalized + without.slice(end)
}

/** Applies moveTimezonesAfterEvents to each calendar-data element of a REPORT multistatus. */
export function moveTimezonesInMultistatus(xml: string): string {
  return xml.replace(
    /(<((?:[\w.-]+:)?)calendar-data(?:\s[^>]*)?>)([\s\S]*?)(<\/\2calendar-data>)/g,
    (_m, open: string, _prefix: string, data: string, close: string) => open + moveTimezonesAfterEvents(data) + close,
  )
}

function cutOffKind(method: string, depth: string | undefined, body: string): CutOffRequest | undefined {
  if (method === 'PROPFIND' && depth === '1') return 'propfind-listing'
  if (method !== 'REPORT') return undefined
  if (/<(?:[\w.-]+:)?sync-collection[\s>]/.test(body)) return 'sync-collection'
  if (/<(?:[\w.-]+:)?calendar-multiget[\s>]/.test(body)) return 'calendar-multiget'
  return undefined
}

/** Consumes one cut-off answer; returns the body cut short when this 207 answer must arrive incomplete. */
export function takeCutOff(
  quirks: ICloudQuirks,
  request: { method: string; depth: string | undefined; body: string },
  status: number,
  body: string | Buffer,
): string | Buffer {
  const cut = quirks.cutOff
  if (!cut || cut.count <= 0 || status !== 207) return body
  if (cutOffKind(request.method, request.depth, request.body) !== cut.request) return body
  cut.count -= 1
  if (cut.count <= 0) quirks.cutOff = null
  const bytes = Buffer.from(body)
  return bytes.subarray(0, Math.floor(bytes.length * cut.fraction))
}
