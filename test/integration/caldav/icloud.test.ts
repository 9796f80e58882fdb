import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startICloudServer, type ICloudTestAccount, type ICloudTestServer } from '../../support/caldav/icloud/index.ts'
import {
  CalDavAuthError,
  CalDavClient,
  CalDavForbiddenError,
  CalDavInvalidSyncTokenError,
  CalDavRateLimitedError,
  CalDavUnavailableError,
  type CalDavClientOptions,
  type RequestInfo,
} from '../../../src/caldav/index.ts'
import { addJane, JANE } from '../../support/icloudJane.ts'
import { useStarted } from '../../support/lifecycle.ts'
import { event } from './targets.ts'

// Behaviour specific to iCloud, against the iCloud-faithful test server (Radicale behind a proxy with quirks).
describe('CalDavClient against the iCloud test server', () => {
  let server: ICloudTestServer
  let account: ICloudTestAccount
  const { appleId, appSpecificPassword: appPassword, normalPassword } = JANE
  let requests: RequestInfo[]

  const client = (extra: Partial<CalDavClientOptions> = {}) =>
    new CalDavClient({
      serverUrl: server.entryUrl,
      credentials: { username: appleId, password: appPassword },
      baseRetryDelayMs: 5,
      onRequest: (i) => requests.push(i),
      ...extra,
    })

  useStarted(startICloudServer, async (started) => {
    server = started
    account = await addJane(server)
  })
  beforeEach(() => {
    requests = []
    server.resetQuirks()
    server.clearRequests()
  })
  afterEach(() => server.resetQuirks())

  it('finds the principal on the entry host and the home on the partition host, then never uses the entry host', async () => {
    const c = client()
    expect(await c.discover()).toEqual({
      principalUrl: `${server.entryUrl}${account.dsid}/principal/`,
      homeUrl: `${server.partitionUrl}${account.dsid}/calendars/`,
    })
    const calendars = await c.listCalendars()
    const work = calendars.find((x) => x.path === `${account.homePath}work/`)!
    await c.getCollectionState(work.url)
    await c.syncCollection(work.url, null)
    await c.putObject(`${work.url}x.ics`, event('x'), { ifNoneMatch: '*' })
    expect(server.requests.map((r) => r.host)).toEqual([
      'entry',
      'entry',
      'partition',
      'partition',
      'partition',
      'partition',
    ])
    expect(server.requests.every((r) => r.status < 400)).toBe(true)
  })

  it('lists Reminders, scheduling, notification, subscribed and read-only shared collections with their kinds', async () => {
    const calendars = await client().listCalendars()
    const by = Object.fromEntries(calendars.map((c) => [c.path.slice(account.homePath.length, -1), c]))
    for (const c of calendars) expect(c.url.startsWith(server.partitionUrl)).toBe(true)
    expect(by.calendar).toMatchObject({ kind: 'EVENT_CALENDAR', writable: true, color: '#1BADF8FF' })
    expect(by.work).toMatchObject({ kind: 'EVENT_CALENDAR', writable: true, shared: false, displayName: 'Work' })
    expect(by.tasks).toMatchObject({ kind: 'TASK_LIST', components: ['VTODO'], displayName: 'Reminders' })
    expect(by.inbox?.kind).toBe('SCHEDULING_INBOX')
    expect(by.outbox?.kind).toBe('SCHEDULING_OUTBOX')
    expect(by.notification?.kind).toBe('NOTIFICATIONS')
    expect(by['holidays-sub']).toMatchObject({
      kind: 'SUBSCRIBED',
      subscribed: true,
      writable: false,
      sourceUrl: expect.stringMatching(/^webcal:\/\//),
    })
    expect(by.boss).toMatchObject({ kind: 'EVENT_CALENDAR', shared: true, writable: false })

    server.quirks.omitSubscribedSource = true
    const again = await client().listCalendars()
    expect(again.find((c) => c.kind === 'SUBSCRIBED')?.sourceUrl).toBeNull()
  })

  it('refuses the normal Apple ID password and a revoked app-specific password with CalDavAuthError', async () => {
    const e = await client({ credentials: { username: appleId, password: normalPassword } })
      .discover()
      .catch((x: Error) => x)
    expect(e).toBeInstanceOf(CalDavAuthError)
    expect((e as Error).message).toMatch(/app-specific password/)
    expect((e as Error).message).not.toContain(normalPassword)

    const c = client()
    const { homeUrl } = await c.discover()
    account.revokePassword()
    try {
      await expect(c.getCollectionState(`${homeUrl}work/`)).rejects.toBeInstanceOf(CalDavAuthError)
    } finally {
      account.setAppSpecificPassword(appPassword)
    }
  })

  it('turns the bare 403 for an expired sync token into CalDavInvalidSyncTokenError', async () => {
    const c = client()
    const url = account.calendarUrl('work')
    await account.putEvent('work', 'tok.ics', event('tok'))
    const { syncToken } = await c.syncCollection(url, null)
    server.quirks.invalidateSyncTokens = true
    await expect(c.syncCollection(url, syncToken)).rejects.toBeInstanceOf(CalDavInvalidSyncTokenError)
    expect((await c.listObjectEtags(url)).map((o) => o.href)).toContain(`${account.homePath}work/tok.ics`)
  })

  it('returns a null ETag when the PUT answer omits it; multiget then supplies it', async () => {
    const c = client({ homeUrl: `${server.partitionUrl}${account.dsid}/calendars/` })
    server.quirks.omitEtagOnPut = true
    const url = `${account.calendarUrl('work')}no-etag.ics`
    expect(await c.putObject(url, event('no-etag'), { ifNoneMatch: '*' })).toEqual({ etag: null })
    const [fetched] = (await c.multiget(account.calendarUrl('work'), [new URL(url).pathname])).objects
    expect(fetched?.etag).toMatch(/^".+"$/)
    expect(requests.every((r) => r.url.startsWith(server.partitionUrl))).toBe(true)
  })

  it('refuses writes to a read-only shared calendar with CalDavForbiddenError', async () => {
    const c = client()
    await expect(
      c.putObject(`${account.calendarUrl('boss')}mine.ics`, event('mine'), { ifNoneMatch: '*' }),
    ).rejects.toBeInstanceOf(CalDavForbiddenError)
  })

  it('waits out 503 + Retry-After, and hands a long Retry-After to the caller', async () => {
    const c = client()
    const url = account.calendarUrl('work')
    server.quirks.throttle = { count: 1, retryAfterSeconds: 1 }
    const started = Date.now()
    await c.getCollectionState(url)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(requests.map((r) => r.status)).toEqual([503, 207])

    server.quirks.throttle = { count: 5, retryAfterSeconds: 3600 }
    const e = await c.getCollectionState(url).catch((x: Error) => x)
    expect(e).toBeInstanceOf(CalDavRateLimitedError)
    expect((e as CalDavRateLimitedError).retryAfterMs).toBe(3_600_000)
  })

  it('retries a dropped connection and times out on a slow answer', async () => {
    const c = client({ timeoutMs: 300 })
    const url = account.calendarUrl('work')
    server.quirks.dropConnections = 1
    await c.getCollectionState(url)
    expect(requests.map((r) => r.status)).toEqual([0, 207])

    server.quirks.delayMs = 1000
    await expect(c.getCollectionState(url)).rejects.toBeInstanceOf(CalDavUnavailableError)
  })

  it('serves calendar data with VTIMEZONE after VEVENT untouched', async () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Apple Inc.//iCloud//EN',
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Paris',
      'BEGIN:STANDARD',
      'DTSTART:19701025T030000',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:tz-1',
      'DTSTAMP:20250101T000000Z',
      'DTSTART;TZID=Europe/Paris:20250102T100000',
      'DTEND;TZID=Europe/Paris:20250102T110000',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n')
    await account.putEvent('work', 'tz.ics', ics)
    server.quirks.vtimezoneAfterVevent = true
    const [o] = (await client().multiget(account.calendarUrl('work'), [`${account.homePath}work/tz.ics`])).objects
    expect(o?.data.indexOf('BEGIN:VTIMEZONE')).toBeGreaterThan(o!.data.indexOf('END:VEVENT'))
  })
})
