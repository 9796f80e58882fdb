import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CalDavAuthError,
  CalDavClient,
  CalDavInvalidSyncTokenError,
  CalDavPreconditionFailedError,
  type RequestInfo,
} from '../../../src/caldav/index.ts'
import { event, targets, type Target } from './targets.ts'

describe.each(targets)('CalDavClient against $name', (kind) => {
  let target: Target
  let requests: RequestInfo[]
  let client: CalDavClient

  const newClient = (extra: Partial<ConstructorParameters<typeof CalDavClient>[0]> = {}) =>
    new CalDavClient({
      serverUrl: target.serverUrl,
      credentials: target.credentials,
      onRequest: (info) => requests.push(info),
      ...extra,
    })

  /** Counts the requests one operation sends. */
  const count = async <T>(fn: () => Promise<T>): Promise<{ value: T; requests: RequestInfo[] }> => {
    const before = requests.length
    const value = await fn()
    return { value, requests: requests.slice(before) }
  }

  beforeAll(async () => {
    target = await kind.start()
    requests = []
    client = newClient()
  })
  afterAll(async () => {
    await target?.stop()
  })

  it('discovers the principal and the calendar home', async () => {
    const found = await client.discover()
    expect(new URL(found.homeUrl).pathname).toBe(target.homePath)
    expect(new URL(found.principalUrl).origin).toBe(new URL(target.serverUrl).origin)
  })

  it('lists calendars with kind, colour, components, privileges and change markers', async () => {
    const work = await target.makeCalendar('work', { displayName: 'Work', color: '#FF2968FF' })
    await target.makeCalendar('reminders', { displayName: 'Reminders', components: ['VTODO'] })
    const calendars = await newClient().listCalendars()
    const byPath = new Map(calendars.map((c) => [c.path, c]))
    expect(byPath.has(target.homePath)).toBe(false)
    const w = byPath.get(new URL(work).pathname)
    expect(w).toMatchObject({
      url: work,
      displayName: 'Work',
      color: '#FF2968FF',
      kind: 'EVENT_CALENDAR',
      writable: true,
      shared: false,
      subscribed: false,
      sourceUrl: null,
    })
    expect(w?.components).toContain('VEVENT')
    expect(w?.ctag).toEqual(expect.any(String))
    expect(w?.syncToken).toEqual(expect.any(String))
    const r = byPath.get(`${target.homePath}reminders/`)
    expect(r?.displayName).toBe('Reminders')
    if (kind.storesComponentSet) {
      expect(r).toMatchObject({ kind: 'TASK_LIST', components: ['VTODO'] })
    }
  })

  it('checks an unchanged calendar with exactly one request, and sees changes', async () => {
    const cal = await target.makeCalendar('change-check')
    await target.put(cal, 'one.ics', event('one'))
    const first = await client.getCollectionState(cal)
    const again = await count(() => client.getCollectionState(cal))
    expect(again.requests).toHaveLength(1)
    expect(again.requests[0]).toMatchObject({ method: 'PROPFIND', status: 207 })
    expect(again.value).toEqual(first)
    expect(first.ctag ?? first.syncToken).not.toBeNull()

    await target.put(cal, 'two.ics', event('two'))
    const after = await client.getCollectionState(cal)
    expect(after.syncToken).not.toBe(first.syncToken)
    if (first.ctag !== null) expect(after.ctag).not.toBe(first.ctag)
  })

  it('syncs a collection: initial, incremental with changes and deletions, and unchanged', async () => {
    const cal = await target.makeCalendar('sync')
    const path = new URL(cal).pathname
    const etagA = await target.put(cal, 'a.ics', event('a'))
    await target.put(cal, 'b.ics', event('b'))

    const initial = await client.syncCollection(cal, null)
    expect(initial.changed.map((c) => c.href).sort()).toEqual([`${path}a.ics`, `${path}b.ics`])
    expect(initial.changed.find((c) => c.href.endsWith('a.ics'))?.etag).toBe(etagA)
    expect(initial.deleted).toEqual([])
    expect(initial.syncToken).toBeTruthy()

    const quiet = await count(() => client.syncCollection(cal, initial.syncToken))
    expect(quiet.requests).toHaveLength(1)
    expect(quiet.value.changed).toEqual([])
    expect(quiet.value.deleted).toEqual([])

    const etagA2 = await target.put(cal, 'a.ics', event('a', 'Moved'))
    await target.put(cal, 'c.ics', event('c'))
    await target.remove(`${cal}b.ics`)
    const incremental = await client.syncCollection(cal, initial.syncToken)
    expect(incremental.changed.map((c) => c.href).sort()).toEqual([`${path}a.ics`, `${path}c.ics`])
    expect(incremental.changed.find((c) => c.href.endsWith('a.ics'))?.etag).toBe(etagA2)
    expect(incremental.deleted).toEqual([`${path}b.ics`])
    expect(incremental.syncToken).not.toBe(initial.syncToken)
  })

  it('refuses a stale sync token with CalDavInvalidSyncTokenError; the ETag listing is the fallback', async () => {
    const cal = await target.makeCalendar('bad-token')
    const path = new URL(cal).pathname
    const etag = await target.put(cal, 'x.ics', event('x'))
    const { syncToken } = await client.syncCollection(cal, null)
    // A token this server never issued (same shape as its own, so it is the token and not the syntax being judged).
    const bogus = syncToken.replace(/[0-9a-f]{8}$/i, 'deadbeef')
    expect(bogus).not.toBe(syncToken)
    await expect(client.syncCollection(cal, bogus)).rejects.toBeInstanceOf(CalDavInvalidSyncTokenError)
    expect(await client.listObjectEtags(cal)).toEqual([{ href: `${path}x.ics`, etag }])
  })

  it('fetches objects with calendar-multiget in batches; missing hrefs are reported gone', async () => {
    const cal = await target.makeCalendar('multiget')
    const path = new URL(cal).pathname
    for (let i = 0; i < 7; i++) await target.put(cal, `e${i}.ics`, event(`uid-${i}`, `Event ${i} <&>`))
    const hrefs = [...Array.from({ length: 7 }, (_, i) => `${path}e${i}.ics`), `${path}missing.ics`]
    const { value, requests: sent } = await count(() => client.multiget(cal, hrefs, 3))
    expect(sent.map((r) => r.method)).toEqual(['REPORT', 'REPORT', 'REPORT'])
    expect(value.objects.map((o) => o.href).sort()).toEqual(hrefs.slice(0, 7).sort())
    expect(value.gone).toEqual([`${path}missing.ics`])
    for (const o of value.objects) {
      const i = /e(\d)\.ics$/.exec(o.href)?.[1]
      expect(o.data).toContain(`UID:uid-${i}`)
      expect(o.data).toContain(`SUMMARY:Event ${i} <&>`)
      expect(o.etag).toMatch(/^(W\/)?".+"$/)
    }
    const listed = await client.listObjectEtags(cal)
    expect(new Map(listed.map((l) => [l.href, l.etag]))).toEqual(new Map(value.objects.map((o) => [o.href, o.etag])))
  })

  it('creates with If-None-Match, updates with If-Match, refuses stale ETags with 412, deletes', async () => {
    const cal = await target.makeCalendar('writes')
    const url = `${cal}crm-1.ics`
    const created = await client.putObject(url, event('crm-1', 'Appointment'), { ifNoneMatch: '*' })
    const fetched = await client.getObject(url)
    expect(fetched?.data).toContain('UID:crm-1')
    if (created.etag !== null) expect(created.etag).toBe(fetched?.etag)
    const etag1 = fetched!.etag!

    await expect(client.putObject(url, event('crm-1', 'Again'), { ifNoneMatch: '*' })).rejects.toBeInstanceOf(
      CalDavPreconditionFailedError,
    )
    const updated = await client.putObject(url, event('crm-1', 'Rescheduled'), { ifMatch: etag1 })
    const etag2 = updated.etag ?? (await client.getObject(url))!.etag!
    expect(etag2).not.toBe(etag1)
    const stale = client.putObject(url, event('crm-1', 'Lost update'), { ifMatch: etag1 })
    await expect(stale).rejects.toBeInstanceOf(CalDavPreconditionFailedError)
    await expect(stale).rejects.toMatchObject({ status: 412 })
    expect((await client.getObject(url))?.data).toContain('SUMMARY:Rescheduled')

    await expect(client.deleteObject(url, etag1)).rejects.toBeInstanceOf(CalDavPreconditionFailedError)
    await client.deleteObject(url, etag2)
    expect(await client.getObject(url)).toBeNull()
    await client.deleteObject(url) // already gone: not an error
    expect(await client.multiget(cal, [url])).toEqual({ objects: [], gone: [new URL(url).pathname] })
  })

  it.runIf(kind.authenticates)(
    'answers a wrong password with CalDavAuthError that never shows the password',
    async () => {
      const password = 'wrong-password-SECRET'
      const bad = newClient({ credentials: { username: target.credentials.username, password } })
      const error = await bad.discover().then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(CalDavAuthError)
      expect((error as CalDavAuthError).status).toBe(401)
      expect((error as Error).message).toMatch(/app-specific password/)
      const auth = Buffer.from(`${target.credentials.username}:${password}`).toString('base64')
      expect(JSON.stringify({ m: (error as Error).message, s: (error as Error).stack })).not.toContain(password)
      expect((error as Error).message).not.toContain(auth)
    },
  )
})
