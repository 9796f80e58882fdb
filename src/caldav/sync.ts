import { CalDavError, CalDavIncompleteAnswerError, CalDavInvalidSyncTokenError, redactUrl } from './errors.ts'
import {
  davMultistatus,
  davRequest,
  hrefPath,
  pathKey,
  propfind,
  readMultistatus,
  samePath,
  type MultistatusResult,
} from './dav.ts'
import type { HttpTransport } from './http.ts'
import { NS, document, el, escapeXml, propText, prop, wrap } from './xml.ts'

export interface SyncResult {
  /** Hrefs are URL paths, as in RemoteCalendar.path. */
  changed: { href: string; etag: string | null }[]
  deleted: string[]
  syncToken: string
}

// Statuses that mean "this token is no longer valid" on a sync-collection REPORT that carried one: RFC 6578 §3.2 says
// 403 with DAV:valid-sync-token (Radicale also uses 409), iCloud sends a bare 403, Xandikos may answer 500, and some
// servers answer 410 Gone for expired tokens.
const INVALID_TOKEN_STATUS = new Set([403, 409, 410, 500])
// A server may truncate a large answer (RFC 6578 §3.6) and expect the client to continue with the new token.
const MAX_CONTINUATIONS = 50

const syncBody = (token: string | null) =>
  document(
    [NS.DAV, 'sync-collection'],
    (token ? wrap([NS.DAV, 'sync-token'], escapeXml(token)) : el([NS.DAV, 'sync-token'])) +
      wrap([NS.DAV, 'sync-level'], '1') +
      wrap([NS.DAV, 'prop'], el([NS.DAV, 'getetag'])),
  )

export const syncCollection = async (
  t: HttpTransport,
  calendarUrl: string,
  syncToken: string | null,
): Promise<SyncResult> => {
  const collectionPath = new URL(calendarUrl).pathname
  // Later answers win: an href changed then deleted within a truncated run ends up deleted, and vice versa.
  const state = new Map<string, { etag: string | null } | 'deleted'>()
  let token = syncToken
  for (let round = 0; ; round++) {
    const res = await davRequest(t, 'REPORT', calendarUrl, '0', syncBody(token))
    if (token && INVALID_TOKEN_STATUS.has(res.status)) {
      throw new CalDavInvalidSyncTokenError(
        `REPORT sync-collection ${redactUrl(calendarUrl)}: sync token refused (${res.status})`,
        { status: res.status },
      )
    }
    const ms = readMultistatus(res, 'REPORT sync-collection')
    let truncated = false
    for (const r of ms.responses) {
      const path = hrefPath(r.href, ms.url)
      if (samePath(path, collectionPath)) {
        if (r.status === 507) truncated = true
        continue
      }
      if (r.status === 404 || r.status === 410) {
        state.set(path, 'deleted')
      } else if (r.status === null || (r.status >= 200 && r.status < 300)) {
        // Collections inside a calendar (none expected with sync-level 1) are not calendar objects.
        if (path.endsWith('/')) continue
        state.set(path, { etag: propText(r, NS.DAV, 'getetag') })
      }
    }
    if (!ms.syncToken) {
      throw new CalDavError(`REPORT sync-collection ${redactUrl(calendarUrl)}: answer has no sync-token`)
    }
    const advanced = ms.syncToken !== token
    token = ms.syncToken
    if (!truncated || !advanced || round >= MAX_CONTINUATIONS) break
  }
  const changed: SyncResult['changed'] = []
  const deleted: string[] = []
  for (const [href, s] of state) {
    if (s === 'deleted') deleted.push(href)
    else changed.push({ href, etag: s.etag })
  }
  return { changed, deleted, syncToken: token }
}

/** PROPFIND Depth 1 getetag on a calendar: the fallback listing when the sync token is refused. */
export const listObjectEtags = async (
  t: HttpTransport,
  calendarUrl: string,
): Promise<{ href: string; etag: string }[]> => {
  const ms = await propfind(t, calendarUrl, '1', [
    [NS.DAV, 'getetag'],
    [NS.DAV, 'resourcetype'],
    [NS.DAV, 'getcontenttype'],
  ])
  const out: { href: string; etag: string }[] = []
  for (const r of ms.responses) {
    if (r.status !== null && (r.status < 200 || r.status > 299)) continue
    const path = hrefPath(r.href, ms.url)
    if (path.endsWith('/') || prop(r, NS.DAV, 'resourcetype')?.children.some((c) => c.name === 'collection')) continue
    const type = propText(r, NS.DAV, 'getcontenttype')?.toLowerCase() ?? ''
    if (!path.toLowerCase().endsWith('.ics') && !type.startsWith('text/calendar')) continue
    // An object listed without ETag still exists: an empty ETag makes the diff fetch it rather than drop it.
    out.push({ href: path, etag: propText(r, NS.DAV, 'getetag') ?? '' })
  }
  return out
}

interface FetchedObject {
  href: string
  etag: string | null
  data: string
}

export interface MultigetResult {
  /** 2xx with calendar data. */
  objects: FetchedObject[]
  /** Hrefs the server answered 404/410 for: deleted since they were listed. */
  gone: string[]
}

const multigetBody = (paths: string[]) =>
  document(
    [NS.CALDAV, 'calendar-multiget'],
    wrap([NS.DAV, 'prop'], el([NS.DAV, 'getetag']) + el([NS.CALDAV, 'calendar-data'])) +
      paths.map((p) => wrap([NS.DAV, 'href'], escapeXml(p))).join(''),
  )

/**
 * calendar-multiget REPORT (RFC 4791 §7.9) in batches. Every requested href must be accounted for: 2xx with data is an
 * object, 404/410 is gone; any other status, an empty calendar-data or an href absent from the answer throws
 * CalDavIncompleteAnswerError, so that a cut-off answer is never taken for a complete one.
 */
export const multiget = async (
  t: HttpTransport,
  calendarUrl: string,
  hrefs: string[],
  batchSize = 100,
): Promise<MultigetResult> => {
  const base = new URL(calendarUrl)
  const paths = [...new Set(hrefs.map((h) => new URL(h, base).pathname))]
  const size = Math.max(1, Math.floor(batchSize))
  const out: MultigetResult = { objects: [], gone: [] }
  for (let i = 0; i < paths.length; i += size) {
    const batch = paths.slice(i, i + size)
    const ms = await davMultistatus(t, 'REPORT', calendarUrl, '1', multigetBody(batch))
    accountForBatch(ms, batch, out, calendarUrl)
  }
  return out
}

const accountForBatch = (ms: MultistatusResult, asked: string[], out: MultigetResult, calendarUrl: string) => {
  const pending = new Map(asked.map((p) => [pathKey(p), p]))
  const unusable: string[] = []
  for (const r of ms.responses) {
    const path = hrefPath(r.href, ms.url)
    const key = pathKey(path)
    if (!pending.has(key)) continue // not asked for
    pending.delete(key)
    if (r.status === 404 || r.status === 410) {
      out.gone.push(path)
      continue
    }
    const data = prop(r, NS.CALDAV, 'calendar-data')
    const ok = r.status === null || (r.status >= 200 && r.status < 300)
    if (!ok || !data || !data.text.trim()) {
      unusable.push(`${path} (${r.status ?? 'no calendar-data'})`)
      continue
    }
    out.objects.push({ href: path, etag: propText(r, NS.DAV, 'getetag'), data: data.text })
  }
  const missing = [...pending.values(), ...unusable]
  if (missing.length > 0) {
    throw new CalDavIncompleteAnswerError(
      `REPORT calendar-multiget ${redactUrl(calendarUrl)}: ${missing.length} of ${asked.length} requested ` +
        `resources not in the answer, e.g. ${missing[0]}`,
    )
  }
}
