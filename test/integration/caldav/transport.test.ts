import { afterEach, describe, expect, it } from 'vitest'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import {
  CalDavAuthError,
  CalDavClient,
  CalDavForbiddenError,
  CalDavIncompleteAnswerError,
  CalDavInvalidSyncTokenError,
  CalDavRateLimitedError,
  CalDavUnavailableError,
  parseRetryAfter,
  type RequestInfo,
} from '../../../src/caldav/index.ts'
import { multistatus, sendXml, startLocalServer, type Handler, type LocalServer } from './localServer.ts'

const credentials = { username: 'someone@icloud.com', password: 'abcd-efgh-ijkl-mnop' }
const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`

const servers: LocalServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const serve = async (handler: Handler) => {
  const s = await startLocalServer(handler)
  servers.push(s)
  return s
}

const principalXml = (href: string) =>
  multistatus(
    `<response><href>/</href><propstat><prop><current-user-principal><href>${href}</href></current-user-principal></prop><status>HTTP/1.1 200 OK</status></propstat></response>`,
  )
const homeSetXml = (principal: string, home: string) =>
  multistatus(
    `<response><href>${principal}</href><propstat><prop><calendar-home-set xmlns="urn:ietf:params:xml:ns:caldav"><href xmlns="DAV:">${home}</href></calendar-home-set></prop><status>HTTP/1.1 200 OK</status></propstat></response>`,
  )
const stateXml = (path: string) =>
  multistatus(
    `<response><href>${path}</href><propstat><prop><getctag xmlns="http://calendarserver.org/ns/">c1</getctag><sync-token>t1</sync-token></prop><status>HTTP/1.1 200 OK</status></propstat></response>`,
  )

const clientFor = (url: string, extra: Partial<ConstructorParameters<typeof CalDavClient>[0]> = {}) => {
  const requests: RequestInfo[] = []
  const client = new CalDavClient({
    serverUrl: url,
    credentials,
    baseRetryDelayMs: 5,
    onRequest: (i) => requests.push(i),
    ...extra,
  })
  return { client, requests }
}

const rejection = async (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: Error) => e,
  )

const expectNoSecrets = (e: Error) => {
  const text = `${e.message}\n${e.stack ?? ''}\n${JSON.stringify(e)}`
  expect(text).not.toContain(credentials.password)
  expect(text).not.toContain(basic.slice(6))
}

describe('timeouts', () => {
  it('gives up on a server that never answers after timeoutMs, with one request and no retry', async () => {
    const s = await serve(() => {
      /* never answers */
    })
    const { client, requests } = clientFor(s.url, { timeoutMs: 200 })
    const started = Date.now()
    const e = await rejection(client.getCollectionState(`${s.url}cal/`))
    expect(e).toBeInstanceOf(CalDavUnavailableError)
    expect(e.message).toMatch(/timed out after 200 ms/)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(requests).toEqual([expect.objectContaining({ method: 'PROPFIND', status: 0 })])
  })

  it('also times out when the body stalls after the headers', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(207, { 'Content-Type': 'text/xml' })
      res.write('<?xml version="1.0"?><multistatus xmlns="DAV:"><response>')
    })
    const { client } = clientFor(s.url, { timeoutMs: 200 })
    expect(await rejection(client.listObjectEtags(`${s.url}cal/`))).toBeInstanceOf(CalDavUnavailableError)
  })

  it('counts the wait for a pooled socket into the timeout', async () => {
    const s = await serve(() => {
      /* never answers */
    })
    // One socket per host (its own pool): the second request waits behind the first, which never ends.
    const { client } = clientFor(s.url, { timeoutMs: 300, connectionsPerHost: 1 })
    const started = Date.now()
    const [first, second] = await Promise.all([
      rejection(client.getCollectionState(`${s.url}a/`)),
      rejection(client.getCollectionState(`${s.url}b/`)),
    ])
    expect(first.message).toMatch(/timed out after 300 ms/)
    expect(second.message).toMatch(/timed out after 300 ms/)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('throttling and retries', () => {
  it('waits Retry-After seconds on 503, then succeeds', async () => {
    let n = 0
    const s = await serve((req, res) => {
      if (n++ === 0) {
        res.writeHead(503, { 'Retry-After': '1' })
        return res.end()
      }
      sendXml(res, 207, stateXml(req.path))
    })
    const { client, requests } = clientFor(s.url)
    const started = Date.now()
    expect(await client.getCollectionState(`${s.url}cal/`)).toEqual({ ctag: 'c1', syncToken: 't1' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(requests.map((r) => r.status)).toEqual([503, 207])
  })

  it('reads Retry-After as an HTTP date', async () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000)
    expect(parseRetryAfter('120')).toBe(120_000)
    expect(parseRetryAfter('soon')).toBeNull()
    let n = 0
    const s = await serve((req, res) => {
      if (n++ === 0) {
        res.writeHead(503, { 'Retry-After': new Date(Date.now() + 2000).toUTCString() })
        return res.end()
      }
      sendXml(res, 207, stateXml(req.path))
    })
    const { client, requests } = clientFor(s.url)
    const started = Date.now()
    await client.getCollectionState(`${s.url}cal/`)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(requests).toHaveLength(2)
  })

  it('throws CalDavRateLimitedError at once when Retry-After exceeds the cap', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(503, { 'Retry-After': '120' })
      res.end()
    })
    const { client, requests } = clientFor(s.url)
    const e = await rejection(client.syncCollection(`${s.url}cal/`, null))
    expect(e).toBeInstanceOf(CalDavRateLimitedError)
    expect((e as CalDavRateLimitedError).retryAfterMs).toBe(120_000)
    expect((e as CalDavRateLimitedError).status).toBe(503)
    expect(requests).toHaveLength(1)
  })

  it('retries 429 with back-off maxRetries times, then throws CalDavRateLimitedError', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(429)
      res.end()
    })
    const { client, requests } = clientFor(s.url, { maxRetries: 2 })
    const e = await rejection(client.multiget(`${s.url}cal/`, ['/cal/a.ics']))
    expect(e).toBeInstanceOf(CalDavRateLimitedError)
    expect((e as CalDavRateLimitedError).retryAfterMs).toBeGreaterThan(0)
    expect(requests.map((r) => r.status)).toEqual([429, 429, 429])
  })

  it('retries a dropped connection on reads but not on writes', async () => {
    let n = 0
    const s = await serve((req, res, raw) => {
      if (n++ === 0 || req.method === 'PUT') return raw.socket.destroy()
      sendXml(res, 207, stateXml(req.path))
    })
    const { client, requests } = clientFor(s.url)
    expect(await client.getCollectionState(`${s.url}cal/`)).toEqual({ ctag: 'c1', syncToken: 't1' })
    expect(requests.map((r) => r.status)).toEqual([0, 207])

    // A conditional PUT whose answer was lost may have landed: repeating it would report our own write as a 412.
    const e = await rejection(client.putObject(`${s.url}cal/a.ics`, 'BEGIN:VCALENDAR', { ifNoneMatch: '*' }))
    expect(e).toBeInstanceOf(CalDavUnavailableError)
    expect(s.seen.filter((r) => r.method === 'PUT')).toHaveLength(1)
  })

  it('retries a PUT answered 503 (the server did not process it)', async () => {
    let n = 0
    const s = await serve((req, res) => {
      if (n++ === 0) {
        res.writeHead(503, { 'Retry-After': '0' })
        return res.end()
      }
      expect(req.headers['if-none-match']).toBe('*')
      res.writeHead(201, { ETag: '"e1"' })
      res.end()
    })
    const { client } = clientFor(s.url)
    expect(await client.putObject(`${s.url}cal/a.ics`, 'BEGIN:VCALENDAR', { ifNoneMatch: '*' })).toEqual({
      etag: '"e1"',
    })
    expect(s.seen).toHaveLength(2)
  })
})

describe('authentication', () => {
  it('sends Basic auth and maps 401 to CalDavAuthError without leaking the password', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' })
      res.end('Unauthorized')
    })
    const logged: string[] = []
    const { client } = clientFor(s.url, { onRequest: (i) => logged.push(JSON.stringify(i)) })
    const e = await rejection(client.discover())
    expect(e).toBeInstanceOf(CalDavAuthError)
    expect((e as CalDavAuthError).status).toBe(401)
    expect(e.message).toMatch(/app-specific password/)
    expect(s.seen[0]?.headers.authorization).toBe(basic)
    expect(s.seen).toHaveLength(1) // 401 is not retried
    expectNoSecrets(e)
    expect(logged.join('')).not.toContain(basic.slice(6))
  })

  it('maps 403 on the principal to CalDavAuthError', async () => {
    const s = await serve((req, res) => {
      if (req.path === '/') return sendXml(res, 207, principalXml('/123/principal/'))
      res.writeHead(403)
      res.end()
    })
    const e = await rejection(clientFor(s.url).client.discover())
    expect(e).toBeInstanceOf(CalDavAuthError)
    expect((e as CalDavAuthError).status).toBe(403)
  })

  it('keeps the password out of messages even when it is in the server URL', async () => {
    const s = await serve(() => {})
    const url = s.url.replace('http://', `http://x:${credentials.password}@`)
    const e = await rejection(clientFor(s.url, { timeoutMs: 100 }).client.getObject(`${url}cal/a.ics`))
    expectNoSecrets(e)
  })
})

describe('discovery across hosts (iCloud partition hosts)', () => {
  it('follows a redirect to another host with credentials and resolves hrefs against the answering host', async () => {
    const partition = await serve((req, res) => {
      expect(req.headers.authorization).toBe(basic)
      if (req.path === '/') return sendXml(res, 207, principalXml('/123/principal/'))
      if (req.path === '/123/principal/') return sendXml(res, 207, homeSetXml(req.path, '/123/calendars/'))
      res.writeHead(404)
      res.end()
    })
    const entry = await serve((_req, res) => {
      res.writeHead(301, { Location: partition.url })
      res.end()
    })
    const { client, requests } = clientFor(entry.url)
    expect(await client.discover()).toEqual({
      principalUrl: `${partition.url}123/principal/`,
      homeUrl: `${partition.url}123/calendars/`,
    })
    expect(requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PROPFIND 301', 'PROPFIND 207', 'PROPFIND 207'])
  })

  it('sends every XML body with nothing before <?xml (iCloud answers 400 otherwise)', async () => {
    const s = await serve((req, res) => {
      if (!req.body.startsWith('<?xml')) {
        res.writeHead(400)
        return res.end()
      }
      if (req.path === '/') return sendXml(res, 207, principalXml('/1/principal/'))
      if (req.path === '/1/principal/') return sendXml(res, 207, homeSetXml(req.path, '/1/calendars/'))
      // a.ics answered as gone: a multiget must account for every href it asked for.
      const gone = '<response><href>/1/calendars/home/a.ics</href><status>HTTP/1.1 404 Not Found</status></response>'
      sendXml(res, 207, multistatus(`${gone}<sync-token>t</sync-token>`))
    })
    const { client } = clientFor(s.url)
    await client.discover()
    await client.listCalendars()
    await client.getCollectionState('/1/calendars/home/')
    await client.syncCollection('/1/calendars/home/', null)
    await client.syncCollection('/1/calendars/home/', 'tok')
    await client.listObjectEtags('/1/calendars/home/')
    await client.multiget('/1/calendars/home/', ['/1/calendars/home/a.ics'])
    expect(s.seen.length).toBe(8)
    for (const r of s.seen) expect(r.body.startsWith('<?xml')).toBe(true)
  })

  it('keeps one connection alive across REPORTs and PROPFINDs with bodies (no handshake per request)', async () => {
    const sockets = new Set<number>()
    const s = await serve((_req, res, raw) => {
      sockets.add(raw.socket.remotePort!)
      sendXml(res, 207, multistatus('<sync-token>t</sync-token>'))
    })
    // Its own pool size, so no other test's idle sockets to this host are in play.
    const { client } = clientFor(s.url, { connectionsPerHost: 1 })
    for (let i = 0; i < 3; i++) await client.syncCollection(`${s.url}cal/`, 't')
    await client.getCollectionState(`${s.url}cal/`)
    await client.listObjectEtags(`${s.url}cal/`)
    expect(s.seen).toHaveLength(5)
    expect(sockets.size).toBe(1)
  })

  it('offers compression and reads gzip and brotli answers', async () => {
    const xml = multistatus(
      '<response><href>/cal/a.ics</href><propstat><prop><getetag>"a"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat></response><sync-token>t2</sync-token>',
    )
    let n = 0
    const s = await serve((req, res) => {
      const br = n++ % 2 === 1
      expect(req.headers['accept-encoding']).toMatch(/gzip/)
      res.writeHead(207, { 'Content-Type': 'text/xml', 'Content-Encoding': br ? 'br' : 'gzip' })
      res.end(br ? brotliCompressSync(xml) : gzipSync(xml))
    })
    const { client } = clientFor(s.url)
    const expected = { changed: [{ href: '/cal/a.ics', etag: '"a"' }], deleted: [], syncToken: 't2' }
    expect(await client.syncCollection(`${s.url}cal/`, 't1')).toEqual(expected)
    expect(await client.syncCollection(`${s.url}cal/`, 't1')).toEqual(expected)
  })
})

describe('iCloud-shaped answers', () => {
  const A = 'xmlns="http://apple.com/ns/ical/"'
  const CS = 'xmlns="http://calendarserver.org/ns/"'
  const C = 'xmlns="urn:ietf:params:xml:ns:caldav"'
  const ok = (props: string) => `<propstat><prop>${props}</prop><status>HTTP/1.1 200 OK</status></propstat>`
  const missing = (props: string) => `<propstat><prop>${props}</prop><status>HTTP/1.1 404 Not Found</status></propstat>`
  const comps = (...names: string[]) =>
    `<supported-calendar-component-set ${C}>${names.map((n) => `<comp name="${n}"/>`).join('')}</supported-calendar-component-set>`
  const privs = (...names: string[]) =>
    `<current-user-privilege-set>${names.map((n) => `<privilege><${n}/></privilege>`).join('')}</current-user-privilege-set>`
  const resp = (href: string, body: string) => `<response><href>${href}</href>${body}</response>`

  const homeListing = (home: string) =>
    multistatus(
      [
        resp(home, ok('<resourcetype><collection/></resourcetype>')),
        resp(
          `${home}home/`,
          ok(
            `<resourcetype><collection/><calendar ${C}/></resourcetype><displayname>Home</displayname><calendar-color ${A}>#FF2968FF</calendar-color>${comps('VEVENT', 'VTODO')}${privs('read', 'write', 'write-properties', 'write-content', 'bind', 'unbind')}<getctag ${CS}>HwoQEgwAAA</getctag><sync-token>https://example/sync/1</sync-token>`,
          ) + missing(`<source ${CS}/>`),
        ),
        resp(
          `${home}tasks/`,
          ok(
            `<resourcetype><collection/><calendar ${C}/></resourcetype><displayname>Reminders</displayname>${comps('VTODO')}`,
          ),
        ),
        resp(`${home}inbox/`, ok(`<resourcetype><collection/><schedule-inbox ${C}/></resourcetype>`)),
        resp(`${home}outbox/`, ok(`<resourcetype><collection/><schedule-outbox ${C}/></resourcetype>`)),
        resp(`${home}notification/`, ok(`<resourcetype><collection/><notification ${CS}/></resourcetype>`)),
        resp(
          `${home}holidays/`,
          ok(
            `<resourcetype><collection/><subscribed ${CS}/></resourcetype><displayname>Holidays</displayname><source ${CS}><href xmlns="DAV:">webcal://p.example/holidays.ics</href></source>${privs('read')}`,
          ),
        ),
        resp(
          `${home}sports/`,
          ok(`<resourcetype><collection/><subscribed ${CS}/></resourcetype><displayname>Sports</displayname>`),
        ),
        resp(
          `${home}team/`,
          ok(
            `<resourcetype><collection/><calendar ${C}/><shared ${CS}/></resourcetype><displayname>Team</displayname>${comps('VEVENT')}${privs('read', 'write-content')}`,
          ),
        ),
        resp(
          `${home}mine-shared/`,
          ok(
            `<resourcetype><collection/><calendar ${C}/><shared-owner ${CS}/></resourcetype><displayname>2024</displayname>${comps('VEVENT')}${privs('all')}`,
          ),
        ),
      ].join(''),
    )

  it('classifies the home listing and builds calendar URLs on the home host, not the entry host', async () => {
    const partition = await serve((req, res) => sendXml(res, 207, homeListing(req.path)))
    const entry = await serve((req, res) => {
      if (req.path === '/') return sendXml(res, 207, principalXml('/42/principal/'))
      if (req.path === '/42/principal/') return sendXml(res, 207, homeSetXml(req.path, `${partition.url}42/calendars/`))
      res.writeHead(404) // the entry host serves no calendar paths
      res.end()
    })
    const { client, requests } = clientFor(entry.url)
    const list = await client.listCalendars()
    expect(requests.map((r) => new URL(r.url).origin)).toEqual([
      new URL(entry.url).origin,
      new URL(entry.url).origin,
      new URL(partition.url).origin,
    ])
    const by = Object.fromEntries(list.map((c) => [c.path.split('/')[3], c]))
    expect(list).toHaveLength(9)
    expect(by.home).toEqual({
      url: `${partition.url}42/calendars/home/`,
      path: '/42/calendars/home/',
      displayName: 'Home',
      color: '#FF2968FF',
      kind: 'EVENT_CALENDAR',
      components: ['VEVENT', 'VTODO'],
      writable: true,
      shared: false,
      subscribed: false,
      sourceUrl: null,
      ctag: 'HwoQEgwAAA',
      syncToken: 'https://example/sync/1',
    })
    expect(by.tasks?.kind).toBe('TASK_LIST')
    expect(by.inbox?.kind).toBe('SCHEDULING_INBOX')
    expect(by.outbox?.kind).toBe('SCHEDULING_OUTBOX')
    expect(by.notification?.kind).toBe('NOTIFICATIONS')
    expect(by.holidays).toMatchObject({
      kind: 'SUBSCRIBED',
      subscribed: true,
      writable: false,
      sourceUrl: 'webcal://p.example/holidays.ics',
    })
    expect(by.sports).toMatchObject({ kind: 'SUBSCRIBED', subscribed: true, sourceUrl: null })
    expect(by.team).toMatchObject({ kind: 'EVENT_CALENDAR', shared: true, writable: false })
    // "2024" stays a string (tsdav's parser would turn it into a number)
    expect(by['mine-shared']).toMatchObject({ shared: true, writable: true, displayName: '2024' })

    // Paths resolve against the home host too.
    await client.getCollectionState(by.home!.path)
    expect(requests.at(-1)?.url).toBe(`${partition.url}42/calendars/home/`)
  })

  it('treats a bare 403 to a sync with a token as an invalid token, and without a token as forbidden', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(403)
      res.end()
    })
    const { client } = clientFor(s.url)
    expect(await rejection(client.syncCollection(`${s.url}cal/`, 'old'))).toBeInstanceOf(CalDavInvalidSyncTokenError)
    expect(await rejection(client.syncCollection(`${s.url}cal/`, null))).toBeInstanceOf(CalDavForbiddenError)
  })

  it('continues a truncated sync-collection (507 on the collection, RFC 6578 §3.6)', async () => {
    const s = await serve((req, res) => {
      const first = !req.body.includes('<d:sync-token>t1</d:sync-token>')
      const item = (n: string, status = 'HTTP/1.1 200 OK') =>
        resp(`/cal/${n}.ics`, `<propstat><prop><getetag>"${n}"</getetag></prop><status>${status}</status></propstat>`)
      sendXml(
        res,
        207,
        multistatus(
          first
            ? item('a') +
                item('b') +
                resp('/cal/', '<status>HTTP/1.1 507 Insufficient Storage</status>') +
                '<sync-token>t1</sync-token>'
            : item('c') + resp('/cal/b.ics', '<status>HTTP/1.1 404 Not Found</status>') + '<sync-token>t2</sync-token>',
        ),
      )
    })
    const { client, requests } = clientFor(s.url)
    const result = await client.syncCollection(`${s.url}cal/`, null)
    expect(requests).toHaveLength(2)
    expect(result).toEqual({
      changed: [
        { href: '/cal/a.ics', etag: '"a"' },
        { href: '/cal/c.ics', etag: '"c"' },
      ],
      deleted: ['/cal/b.ics'],
      syncToken: 't2',
    })
  })

  it('returns a null ETag when the PUT answer omits it, and keeps CR/LF encoded as &#13;', async () => {
    const s = await serve((req, res) => {
      if (req.method === 'PUT') {
        res.writeHead(201)
        return res.end()
      }
      sendXml(
        res,
        207,
        multistatus(
          resp(
            '/cal/a.ics',
            ok(
              `<getetag>"1e5"</getetag><calendar-data ${C}>BEGIN:VCALENDAR&#13;\nUID:a&amp;b&#13;\nEND:VCALENDAR&#13;\n</calendar-data>`,
            ),
          ) + resp('/cal/gone.ics', '<status>HTTP/1.1 404 Not Found</status>'),
        ),
      )
    })
    const { client } = clientFor(s.url)
    expect(await client.putObject(`${s.url}cal/a.ics`, 'BEGIN:VCALENDAR', { ifMatch: '"x"' })).toEqual({ etag: null })
    expect(s.seen[0]?.headers['if-match']).toBe('"x"')
    expect(await client.multiget(`${s.url}cal/`, ['/cal/a.ics', '/cal/gone.ics'])).toEqual({
      objects: [{ href: '/cal/a.ics', etag: '"1e5"', data: 'BEGIN:VCALENDAR\r\nUID:a&b\r\nEND:VCALENDAR\r\n' }],
      gone: ['/cal/gone.ics'],
    })
  })
})

describe('cut-off answers (ICLOUD.md: a 207 can arrive cut off, framed as complete)', () => {
  const C = 'xmlns="urn:ietf:params:xml:ns:caldav"'
  const ok = (props: string) => `<propstat><prop>${props}</prop><status>HTTP/1.1 200 OK</status></propstat>`
  const resp = (href: string, body: string) => `<response><href>${href}</href>${body}</response>`
  const event = (uid: string) =>
    `<calendar-data ${C}>BEGIN:VCALENDAR&#13;\nUID:${uid}&#13;\nEND:VCALENDAR&#13;\n</calendar-data>`
  const full = multistatus(
    resp('/cal/a.ics', ok(`<getetag>"a"</getetag>${event('a')}`)) +
      resp('/cal/b.ics', ok(`<getetag>"b"</getetag>${event('b')}`)),
  )

  it('refuses a multistatus that is not well-formed XML, for every PROPFIND and REPORT', async () => {
    const cut = full.slice(0, Math.floor(full.length * 0.6))
    const s = await serve((_req, res) => sendXml(res, 207, cut))
    const { client } = clientFor(s.url)
    for (const call of [
      client.multiget(`${s.url}cal/`, ['/cal/a.ics', '/cal/b.ics']),
      client.syncCollection(`${s.url}cal/`, 't0'),
      client.listObjectEtags(`${s.url}cal/`),
      client.getCollectionState(`${s.url}cal/`),
    ]) {
      const e = await rejection(call)
      expect(e).toBeInstanceOf(CalDavIncompleteAnswerError)
      expect(e.message).toMatch(/not well-formed XML/)
    }
  })

  it('accounts for every href a calendar-multiget asked for', async () => {
    // Well-formed but b.ics is missing, c.ics has no data, d.ics answers 403: none may pass for "fetched".
    const s = await serve((_req, res) =>
      sendXml(
        res,
        207,
        multistatus(
          resp('/cal/a.ics', ok(`<getetag>"a"</getetag>${event('a')}`)) +
            resp('/cal/c.ics', ok(`<getetag>"c"</getetag><calendar-data ${C}></calendar-data>`)) +
            resp('/cal/d.ics', '<status>HTTP/1.1 403 Forbidden</status>'),
        ),
      ),
    )
    const { client } = clientFor(s.url)
    for (const hrefs of [
      ['/cal/a.ics', '/cal/b.ics'],
      ['/cal/a.ics', '/cal/c.ics'],
      ['/cal/a.ics', '/cal/d.ics'],
    ]) {
      const e = await rejection(client.multiget(`${s.url}cal/`, hrefs))
      expect(e).toBeInstanceOf(CalDavIncompleteAnswerError)
      expect(e.message).toContain(hrefs[1])
    }
    expect((await client.multiget(`${s.url}cal/`, ['/cal/a.ics'])).objects).toHaveLength(1)
  })
})
