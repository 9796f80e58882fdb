import { ensureTrailingSlash, propfind, samePath } from './dav.ts'
import type { HttpTransport } from './http.ts'
import { NS, child, children, prop, propText, textOf, type DavResponse, type QName } from './xml.ts'

type CalendarKind =
  'EVENT_CALENDAR' | 'TASK_LIST' | 'SUBSCRIBED' | 'SCHEDULING_INBOX' | 'SCHEDULING_OUTBOX' | 'NOTIFICATIONS' | 'OTHER'

export interface RemoteCalendar {
  /** Absolute, resolved against the calendar home's URL (never the entry URL). */
  url: string
  /** URL path: the stable identity (iCloud can move an account to another partition host). */
  path: string
  displayName: string
  /** Apple calendar-color as given, e.g. #FF2968FF. */
  color: string | null
  kind: CalendarKind
  /** supported-calendar-component-set; empty when the server omits it (RFC 4791 §5.2.3: then any is accepted). */
  components: string[]
  writable: boolean
  shared: boolean
  subscribed: boolean
  sourceUrl: string | null
  ctag: string | null
  syncToken: string | null
}

const LIST_PROPS: QName[] = [
  [NS.DAV, 'resourcetype'],
  [NS.DAV, 'displayname'],
  [NS.APPLE, 'calendar-color'],
  [NS.CALDAV, 'supported-calendar-component-set'],
  [NS.DAV, 'current-user-privilege-set'],
  [NS.CS, 'getctag'],
  [NS.DAV, 'sync-token'],
  [NS.CS, 'source'],
]

const has = (e: ReturnType<typeof prop>, ns: string, name: string) => child(e, ns, name) !== undefined

const kindOf = (r: DavResponse, components: string[]): CalendarKind | null => {
  const rt = prop(r, NS.DAV, 'resourcetype')
  if (has(rt, NS.CALDAV, 'schedule-inbox')) return 'SCHEDULING_INBOX'
  if (has(rt, NS.CALDAV, 'schedule-outbox')) return 'SCHEDULING_OUTBOX'
  if (has(rt, NS.CS, 'notification')) return 'NOTIFICATIONS'
  // iCloud's subscribed calendars carry CS:subscribed without C:calendar.
  if (has(rt, NS.CS, 'subscribed')) return 'SUBSCRIBED'
  if (has(rt, NS.CALDAV, 'calendar')) {
    if (components.length === 0 || components.includes('VEVENT')) return 'EVENT_CALENDAR'
    if (components.includes('VTODO')) return 'TASK_LIST'
    return 'OTHER'
  }
  return has(rt, NS.DAV, 'collection') ? 'OTHER' : null
}

/** RFC 3744 §5.4: write (or all) covers write-content and bind; write-content alone cannot create events. */
const writableOf = (r: DavResponse): boolean => {
  const set = prop(r, NS.DAV, 'current-user-privilege-set')
  if (!set) return true
  const privileges = new Set(
    children(set, NS.DAV, 'privilege').flatMap((p) => p.children.filter((c) => c.ns === NS.DAV).map((c) => c.name)),
  )
  return privileges.has('all') || privileges.has('write') || (privileges.has('write-content') && privileges.has('bind'))
}

const calendarFromResponse = (r: DavResponse, baseUrl: string): RemoteCalendar | null => {
  const components = children(prop(r, NS.CALDAV, 'supported-calendar-component-set'), NS.CALDAV, 'comp')
    .map((c) => c.attrs['name']?.toUpperCase())
    .filter((n): n is string => !!n)
  const kind = kindOf(r, components)
  if (!kind) return null
  const url = new URL(r.href, baseUrl)
  const rt = prop(r, NS.DAV, 'resourcetype')
  const source = prop(r, NS.CS, 'source')
  const segments = url.pathname.split('/').filter(Boolean)
  let fallbackName = segments[segments.length - 1] ?? url.pathname
  try {
    fallbackName = decodeURIComponent(fallbackName)
  } catch {
    // keep encoded
  }
  return {
    url: url.href,
    path: url.pathname,
    displayName: propText(r, NS.DAV, 'displayname') ?? fallbackName,
    color: propText(r, NS.APPLE, 'calendar-color'),
    kind,
    components,
    writable: writableOf(r),
    shared: has(rt, NS.CS, 'shared') || has(rt, NS.CS, 'shared-owner'),
    subscribed: kind === 'SUBSCRIBED',
    // CS:source wraps a DAV:href; some servers put the URL directly in the element, and iCloud sometimes omits it.
    sourceUrl:
      textOf(child(source, NS.DAV, 'href') ?? source?.children.find((c) => c.name === 'href')) ||
      textOf(source) ||
      null,
    ctag: propText(r, NS.CS, 'getctag'),
    syncToken: propText(r, NS.DAV, 'sync-token'),
  }
}

/** PROPFIND Depth 1 on the home; calendar URLs resolve against the URL that answered (the home's host). */
export const listCalendars = async (t: HttpTransport, homeUrl: string): Promise<RemoteCalendar[]> => {
  const home = ensureTrailingSlash(homeUrl)
  const ms = await propfind(t, home, '1', LIST_PROPS)
  const homePath = new URL(ms.url).pathname
  const calendars: RemoteCalendar[] = []
  for (const r of ms.responses) {
    if (r.status !== null && (r.status < 200 || r.status > 299)) continue
    if (samePath(new URL(r.href, ms.url).pathname, homePath)) continue
    const cal = calendarFromResponse(r, ms.url)
    if (cal) calendars.push(cal)
  }
  return calendars
}

/** PROPFIND Depth 0 for CS:getctag and DAV:sync-token: the one-request change check. */
export const getCollectionState = async (
  t: HttpTransport,
  calendarUrl: string,
): Promise<{ ctag: string | null; syncToken: string | null }> => {
  const ms = await propfind(t, calendarUrl, '0', [
    [NS.CS, 'getctag'],
    [NS.DAV, 'sync-token'],
  ])
  const target = new URL(calendarUrl).pathname
  const r = ms.responses.find((x) => samePath(new URL(x.href, ms.url).pathname, target)) ?? ms.responses[0]
  return {
    ctag: r ? propText(r, NS.CS, 'getctag') : null,
    syncToken: r ? propText(r, NS.DAV, 'sync-token') : null,
  }
}
