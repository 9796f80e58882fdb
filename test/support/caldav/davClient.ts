// Minimal raw-HTTP CalDAV helpers for test setup (deliberately not tsdav: fixtures must not depend on the code under test).

export interface BasicAuth {
  username: string
  password: string
}

export interface CreateCalendarOptions {
  /** Omit both for servers without authentication (Xandikos). */
  username?: string
  password?: string
  /** Collection path with trailing slash, e.g. /alice/work/ */
  path: string
  displayName: string
  /** #RRGGBB or #RRGGBBAA (Apple namespace) */
  color?: string
  components?: ('VEVENT' | 'VTODO')[]
}

export function authHeader(auth?: BasicAuth): Record<string, string> {
  if (!auth) return {}
  return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function credentials(options: { username?: string; password?: string }): BasicAuth | undefined {
  return options.username !== undefined ? { username: options.username, password: options.password ?? '' } : undefined
}

/** MKCALENDAR (RFC 4791 §5.3.1) with displayname, Apple calendar-color and supported-calendar-component-set. */
export async function createCalendar(server: { url: string }, options: CreateCalendarOptions): Promise<string> {
  const url = new URL(options.path, server.url).href
  const components = options.components ?? ['VEVENT']
  const body = `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/">
  <D:set>
    <D:prop>
      <D:displayname>${escapeXml(options.displayName)}</D:displayname>
      ${options.color ? `<A:calendar-color>${escapeXml(options.color)}</A:calendar-color>` : ''}
      <C:supported-calendar-component-set>
        ${components.map((c) => `<C:comp name="${c}"/>`).join('')}
      </C:supported-calendar-component-set>
    </D:prop>
  </D:set>
</C:mkcalendar>`
  const res = await fetch(url, {
    method: 'MKCALENDAR',
    headers: { 'Content-Type': 'application/xml; charset=utf-8', ...authHeader(credentials(options)) },
    body,
  })
  const text = await res.text()
  if (res.status !== 201) throw new Error(`MKCALENDAR ${url} → ${res.status}: ${text.slice(0, 500)}`)
  // Xandikos 0.2.8 answers 404 for calendar-color inside MKCALENDAR (the new collection is not yet a calendar when
  // it applies the properties) but accepts it in a later PROPPATCH.
  if (options.color && rejectedProperty(text, 'calendar-color')) {
    await proppatch(url, `<A:calendar-color>${escapeXml(options.color)}</A:calendar-color>`, credentials(options))
  }
  return url
}

function rejectedProperty(multistatus: string, localName: string): boolean {
  const propstats = multistatus.match(/<(?:\w+:)?propstat[\s>][\s\S]*?<\/(?:\w+:)?propstat>/g) ?? []
  return propstats.some((p) => p.includes(`:${localName}`) && !/HTTP\/1\.1 2\d\d/.test(p))
}

async function proppatch(url: string, props: string, auth?: BasicAuth): Promise<void> {
  const res = await fetch(url, {
    method: 'PROPPATCH',
    headers: { 'Content-Type': 'application/xml; charset=utf-8', ...authHeader(auth) },
    body: `<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:A="http://apple.com/ns/ical/"><D:set><D:prop>${props}</D:prop></D:set></D:propertyupdate>`,
  })
  const text = await res.text()
  if (res.status !== 207 || rejectedProperty(text, ''))
    throw new Error(`PROPPATCH ${url} → ${res.status}: ${text.slice(0, 500)}`)
}

/** PUT an iCalendar resource; returns its ETag (fetched with PROPFIND when the PUT response lacks one). */
export async function putEvent(calendarUrl: string, filename: string, ics: string, auth?: BasicAuth): Promise<string> {
  const url = new URL(filename, calendarUrl.endsWith('/') ? calendarUrl : `${calendarUrl}/`).href
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/calendar; charset=utf-8', ...authHeader(auth) },
    body: ics,
  })
  const text = await res.text()
  if (res.status !== 201 && res.status !== 204 && res.status !== 200) {
    throw new Error(`PUT ${url} → ${res.status}: ${text.slice(0, 500)}`)
  }
  return res.headers.get('etag') ?? (await fetchEtag(url, auth))
}

async function fetchEtag(url: string, auth?: BasicAuth): Promise<string> {
  const res = await fetch(url, {
    method: 'PROPFIND',
    headers: { 'Content-Type': 'application/xml; charset=utf-8', Depth: '0', ...authHeader(auth) },
    body: '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
  })
  const text = await res.text()
  const match = /<(?:\w+:)?getetag[^>]*>([^<]+)</.exec(text)
  if (res.status !== 207 || !match?.[1])
    throw new Error(`PROPFIND getetag ${url} → ${res.status}: ${text.slice(0, 500)}`)
  return match[1].replace(/&quot;/g, '"')
}

export async function deleteEvent(url: string, auth?: BasicAuth): Promise<void> {
  const res = await fetch(url, { method: 'DELETE', headers: authHeader(auth) })
  const text = await res.text()
  if (res.status !== 204 && res.status !== 200) throw new Error(`DELETE ${url} → ${res.status}: ${text.slice(0, 500)}`)
}
