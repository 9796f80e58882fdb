import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startICloudServer, type ICloudTestAccount, type ICloudTestServer } from '../../support/caldav/icloud/index.ts'
import {
  dav,
  eventWithTimezone,
  multigetXml,
  NS_DECL,
  propfindXml,
  sampleEvent,
  syncCollectionXml,
} from './fixtures.ts'

const auth: [string, string] = ['quirky@icloud.com', 'qqqq-wwww-eeee-rrrr']
const ics = { 'Content-Type': 'text/calendar; charset=utf-8' }

function timezoneIndexes(text: string): { timezone: number; event: number } {
  return { timezone: text.indexOf('BEGIN:VTIMEZONE'), event: text.indexOf('BEGIN:VEVENT') }
}

describe('iCloud test server: quirks', () => {
  let server: ICloudTestServer
  let account: ICloudTestAccount
  let calendar: string

  beforeAll(async () => {
    server = await startICloudServer()
    account = await server.addAccount({ appleId: auth[0], appSpecificPassword: auth[1] })
    calendar = await account.addCalendar('work', { displayName: 'Work' })
    await account.putEvent('work', 'paris.ics', eventWithTimezone('paris'))
  })
  afterAll(async () => {
    await server?.stop()
  })
  beforeEach(() => {
    server.resetQuirks()
    server.clearRequests()
  })

  describe('sync-collection tokens', () => {
    async function currentToken(): Promise<string> {
      const res = await dav('REPORT', calendar, { auth, depth: '1', body: syncCollectionXml('') })
      expect(res.status).toBe(207)
      const token = /<sync-token>([^<]+)<\/sync-token>/.exec(res.text)?.[1]
      expect(token).toBeTruthy()
      return token ?? ''
    }

    it('accepts an empty token and then the token it returned', async () => {
      const token = await currentToken()
      const res = await dav('REPORT', calendar, { auth, depth: '1', body: syncCollectionXml(token) })
      expect(res.status).toBe(207)
    })

    it.each([
      ['a well-formed but unknown token', `http://radicale.org/ns/sync/${'0'.repeat(64)}`],
      ['a malformed token', 'HwoQEgwAAAAAAAAAAAAAAAAYARgAIhUI'],
    ])('answers %s with a bare 403 (no DAV:valid-sync-token)', async (_label, token) => {
      const res = await dav('REPORT', calendar, { auth, depth: '1', body: syncCollectionXml(token) })
      expect(res.status).toBe(403)
      expect(res.text).toBe('')
    })

    it('keeps 404 for a missing calendar even with a token', async () => {
      const res = await dav('REPORT', account.calendarUrl('gone'), {
        auth,
        depth: '1',
        body: syncCollectionXml(`http://radicale.org/ns/sync/${'0'.repeat(64)}`),
      })
      expect(res.status).toBe(404)
    })

    it('refuses every non-empty token when invalidateSyncTokens is on', async () => {
      const token = await currentToken()
      server.quirks.invalidateSyncTokens = true
      const res = await dav('REPORT', calendar, { auth, depth: '1', body: syncCollectionXml(token) })
      expect(res.status).toBe(403)
      expect(res.text).toBe('')
      const initial = await dav('REPORT', calendar, { auth, depth: '1', body: syncCollectionXml('') })
      expect(initial.status).toBe(207)
    })
  })

  it('throttles the next n requests with 503 (or 429) and Retry-After, then recovers', async () => {
    server.quirks.throttle = { count: 2, retryAfterSeconds: 7 }
    const body = propfindXml('<d:getctag/>')
    const first = await dav('PROPFIND', calendar, { auth, depth: '0', body })
    const second = await dav('PROPFIND', server.entryUrl, { auth, depth: '0', body })
    const third = await dav('PROPFIND', calendar, { auth, depth: '0', body })
    expect([first.status, second.status, third.status]).toEqual([503, 503, 207])
    expect(first.headers.get('retry-after')).toBe('7')
    expect(second.headers.get('retry-after')).toBe('7')
    expect(server.quirks.throttle).toBeNull()

    server.quirks.throttle = { count: 1, retryAfterSeconds: 3, status: 429 }
    const tooMany = await dav('PROPFIND', calendar, { auth, depth: '0', body })
    expect([tooMany.status, tooMany.headers.get('retry-after')]).toEqual([429, '3'])
  })

  it('answers 412 to a PUT with a stale If-Match and to If-None-Match: * on an existing resource', async () => {
    const url = calendar + 'etag.ics'
    const created = await dav('PUT', url, {
      auth,
      body: sampleEvent('etag', 'v1'),
      headers: { ...ics, 'If-None-Match': '*' },
    })
    expect(created.status).toBe(201)
    const etag1 = created.headers.get('etag') ?? ''
    expect(etag1).not.toBe('')
    const again = await dav('PUT', url, {
      auth,
      body: sampleEvent('etag', 'v1b'),
      headers: { ...ics, 'If-None-Match': '*' },
    })
    expect(again.status).toBe(412)

    await account.putEvent('work', 'etag.ics', sampleEvent('etag', 'edited in iCloud'))
    const stale = await dav('PUT', url, {
      auth,
      body: sampleEvent('etag', 'v2'),
      headers: { ...ics, 'If-Match': etag1 },
    })
    expect(stale.status).toBe(412)
    const current = (await dav('GET', url, { auth })).headers.get('etag') ?? ''
    const fresh = await dav('PUT', url, {
      auth,
      body: sampleEvent('etag', 'v2'),
      headers: { ...ics, 'If-Match': current },
    })
    expect([200, 201, 204]).toContain(fresh.status)
    expect((await dav('GET', url, { auth })).text).toContain('SUMMARY:v2')
  })

  it('refuses XML bodies with whitespace before <?xml with 400', async () => {
    const body = propfindXml('<d:displayname/>')
    expect((await dav('PROPFIND', calendar, { auth, depth: '0', body: `\n  ${body}` })).status).toBe(400)
    expect((await dav('PROPFIND', server.entryUrl, { auth, depth: '0', body: ` ${body}` })).status).toBe(400)
    expect((await dav('REPORT', calendar, { auth, depth: '1', body: `\r\n${syncCollectionXml('')}` })).status).toBe(400)
    expect((await dav('PROPFIND', calendar, { auth, depth: '0', body })).status).toBe(207)
  })

  it('strips the ETag from PUT responses when omitEtagOnPut is on', async () => {
    const withEtag = await dav('PUT', calendar + 'e1.ics', { auth, body: sampleEvent('e1'), headers: ics })
    expect(withEtag.headers.get('etag')).toBeTruthy()
    server.quirks.omitEtagOnPut = true
    const without = await dav('PUT', calendar + 'e2.ics', { auth, body: sampleEvent('e2'), headers: ics })
    expect(without.status).toBe(201)
    expect(without.headers.get('etag')).toBeNull()
    // GET still reports it, so a client can recover it.
    expect((await dav('GET', calendar + 'e2.ics', { auth })).headers.get('etag')).toBeTruthy()
  })

  describe('vtimezoneAfterVevent', () => {
    const queryBody = `<?xml version="1.0" encoding="utf-8"?><c:calendar-query ${NS_DECL}><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="20300101T000000Z" end="20300201T000000Z"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`

    it('serves VTIMEZONE before VEVENT when off (as stored)', async () => {
      const get = await dav('GET', calendar + 'paris.ics', { auth })
      const { timezone, event } = timezoneIndexes(get.text)
      expect(timezone).toBeGreaterThan(-1)
      expect(timezone).toBeLessThan(event)
    })

    it('moves VTIMEZONE after VEVENT in GET, calendar-multiget and calendar-query when on', async () => {
      server.quirks.vtimezoneAfterVevent = true
      const get = await dav('GET', calendar + 'paris.ics', { auth })
      const multiget = await dav('REPORT', calendar, {
        auth,
        depth: '1',
        body: multigetXml([`${account.homePath}work/paris.ics`]),
      })
      const query = await dav('REPORT', calendar, { auth, depth: '1', body: queryBody })
      for (const res of [get, multiget, query]) {
        expect(res.text).toContain('SUMMARY:Paris meeting')
        const { timezone, event } = timezoneIndexes(res.text)
        expect(event).toBeGreaterThan(-1)
        expect(timezone).toBeGreaterThan(event)
        expect(res.text).toMatch(/END:VTIMEZONE\r?\nEND:VCALENDAR/)
      }
      expect(get.text.match(/BEGIN:VTIMEZONE/g)).toHaveLength(1)
    })
  })

  it('delays answers by delayMs', async () => {
    server.quirks.delayMs = 300
    const started = Date.now()
    const res = await dav('PROPFIND', calendar, { auth, depth: '0', body: propfindXml('<d:displayname/>') })
    expect(res.status).toBe(207)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
  })

  it('drops connections without answering, for n requests or until switched off', async () => {
    server.quirks.dropConnections = 1
    await expect(dav('GET', calendar + 'paris.ics', { auth })).rejects.toThrow()
    expect((await dav('GET', calendar + 'paris.ics', { auth })).status).toBe(200)
    server.quirks.dropConnections = true
    await expect(dav('GET', calendar + 'paris.ics', { auth })).rejects.toThrow()
    await expect(dav('GET', calendar + 'paris.ics', { auth })).rejects.toThrow()
    server.quirks.dropConnections = false
    expect((await dav('GET', calendar + 'paris.ics', { auth })).status).toBe(200)
    expect(server.requests.map((r) => r.status)).toEqual([0, 200, 0, 0, 200])
  })

  it('refuses free-busy-query REPORTs with 400', async () => {
    const body = `<?xml version="1.0" encoding="utf-8"?><c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="20300101T000000Z" end="20300201T000000Z"/></c:free-busy-query>`
    const res = await dav('REPORT', calendar, { auth, depth: '1', body })
    expect(res.status).toBe(400)
  })

  it('records every request with host, path, depth, status, the start of the body and its arrival', async () => {
    const body = propfindXml('<d:current-user-principal/>')
    await dav('PROPFIND', server.entryUrl, { auth, depth: '0', body })
    await dav('GET', calendar + 'paris.ics', { auth })
    await dav('GET', calendar + 'paris.ics', { auth: [auth[0], 'nope'] })
    expect(server.requests).toEqual([
      {
        method: 'PROPFIND',
        host: 'entry',
        path: '/',
        status: 207,
        depth: '0',
        bodyStart: body,
        at: expect.any(Number),
      },
      {
        method: 'GET',
        host: 'partition',
        path: `${account.homePath}work/paris.ics`,
        status: 200,
        bodyStart: '',
        at: expect.any(Number),
      },
      {
        method: 'GET',
        host: 'partition',
        path: `${account.homePath}work/paris.ics`,
        status: 401,
        bodyStart: '',
        at: expect.any(Number),
      },
    ])
    server.requests.length = 0
    expect(server.requests).toHaveLength(0)
  })
})
