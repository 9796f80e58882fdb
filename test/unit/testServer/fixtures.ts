import { eventIcs } from '../../support/integrationFixtures.ts'

export function sampleEvent(
  uid: string,
  summary = 'Meeting',
  start = '20300115T100000Z',
  end = '20300115T110000Z',
): string {
  return eventIcs({ uid, summary, start, end })
}

export function basic(username: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }
}

export const xmlHeaders = { 'Content-Type': 'application/xml; charset=utf-8' }

export function eventWithTimezone(uid: string, summary = 'Paris meeting'): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//test//EN',
    'BEGIN:VTIMEZONE',
    'TZID:Europe/Paris',
    'BEGIN:STANDARD',
    'DTSTART:19701025T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:19700329T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20300101T000000Z',
    'DTSTART;TZID=Europe/Paris:20300115T100000',
    'DTEND;TZID=Europe/Paris:20300115T110000',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n')
}

export const NS_DECL =
  'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" xmlns:a="http://apple.com/ns/ical/"'

export function propfindXml(props: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><d:propfind ${NS_DECL}><d:prop>${props}</d:prop></d:propfind>`
}

export function syncCollectionXml(token: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><d:sync-collection ${NS_DECL}><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`
}

export function multigetXml(hrefs: string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><c:calendar-multiget ${NS_DECL}><d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefs
    .map((h) => `<d:href>${h}</d:href>`)
    .join('')}</c:calendar-multiget>`
}

export interface DavResult {
  status: number
  headers: Headers
  text: string
}

/** One raw DAV request with Basic auth and an XML body; never follows redirects. */
export async function dav(
  method: string,
  url: string,
  options: { auth?: [string, string]; depth?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<DavResult> {
  const res = await fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      ...(options.body !== undefined ? xmlHeaders : {}),
      ...(options.depth !== undefined ? { Depth: options.depth } : {}),
      ...(options.auth ? basic(...options.auth) : {}),
      ...options.headers,
    },
    body: options.body,
  })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

/** Splits a multistatus into its <response> elements keyed by href (any namespace prefix). */
export function responsesByHref(xml: string): Map<string, string> {
  const map = new Map<string, string>()
  for (const m of xml.matchAll(/<((?:[\w.-]+:)?)response[\s>][\s\S]*?<\/\1response>/g)) {
    const href = /<(?:[\w.-]+:)?href>([^<]*)</.exec(m[0])?.[1]
    if (href) map.set(href, m[0])
  }
  return map
}

/** The text of the first 200-OK propstat of a response element. */
export function okProps(response: string): string {
  const propstats = response.match(/<((?:[\w.-]+:)?)propstat>[\s\S]*?<\/\1propstat>/g) ?? []
  return propstats.find((p) => p.includes('200 OK')) ?? ''
}
