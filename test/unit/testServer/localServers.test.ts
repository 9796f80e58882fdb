import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createCalendar,
  deleteEvent,
  putEvent,
  startRadicale,
  startXandikos,
  type RunningCalDavServer,
  type RunningXandikos,
} from '../../support/caldav/index.ts'
import { basic, sampleEvent, xmlHeaders } from './fixtures.ts'

const propfindBody = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/">
  <D:prop><D:displayname/><A:calendar-color/><C:supported-calendar-component-set/><D:resourcetype/></D:prop>
</D:propfind>`

describe('startRadicale', () => {
  let server: RunningCalDavServer
  const alice = { username: 'alice', password: 'wonderland' }

  beforeAll(async () => {
    server = await startRadicale({ users: { alice: alice.password, bob: 'builder' } })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('listens on loopback with htpasswd auth', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const wrong = await fetch(server.url + 'alice/', {
      method: 'PROPFIND',
      headers: { Depth: '0', ...basic('alice', 'nope') },
    })
    expect(wrong.status).toBe(401)
    const right = await fetch(server.url + 'alice/', {
      method: 'PROPFIND',
      headers: { Depth: '0', ...basic('alice', alice.password) },
    })
    expect(right.status).toBe(207)
  })

  it('creates a calendar with MKCALENDAR and reports its properties', async () => {
    const url = await createCalendar(server, {
      ...alice,
      path: '/alice/work/',
      displayName: 'Work & Co',
      color: '#FF0000FF',
      components: ['VEVENT'],
    })
    expect(url).toBe(server.url + 'alice/work/')
    const res = await fetch(url, {
      method: 'PROPFIND',
      headers: { Depth: '0', ...xmlHeaders, ...basic('alice', alice.password) },
      body: propfindBody,
    })
    const xml = await res.text()
    expect(res.status).toBe(207)
    expect(xml).toContain('Work &amp; Co')
    expect(xml).toContain('#FF0000FF')
    expect(xml).toMatch(/comp name="VEVENT"/)
    expect(xml).not.toMatch(/comp name="VTODO"/)
  })

  it('puts, updates and deletes an event, returning ETags', async () => {
    const url = await createCalendar(server, { ...alice, path: '/alice/events/', displayName: 'Events' })
    const etag = await putEvent(url, 'a.ics', sampleEvent('a'), alice)
    expect(etag).toMatch(/^"/)
    const etag2 = await putEvent(url, 'a.ics', sampleEvent('a', 'Renamed'), alice)
    expect(etag2).not.toBe(etag)
    const get = await fetch(url + 'a.ics', { headers: basic('alice', alice.password) })
    expect(await get.text()).toContain('SUMMARY:Renamed')
    await deleteEvent(url + 'a.ics', alice)
    const gone = await fetch(url + 'a.ics', { headers: basic('alice', alice.password) })
    expect(gone.status).toBe(404)
  })

  it('keeps users apart (owner_only)', async () => {
    const res = await fetch(server.url + 'alice/', {
      method: 'PROPFIND',
      headers: { Depth: '1', ...basic('bob', 'builder') },
    })
    expect(res.status).toBe(403)
  })

  it('removes its storage on stop', async () => {
    const other = await startRadicale({ users: { carol: 'x' } })
    expect(existsSync(other.storageDir)).toBe(true)
    await other.stop()
    expect(existsSync(other.storageDir)).toBe(false)
    await expect(fetch(other.url)).rejects.toThrow()
  })
})

describe('startXandikos', () => {
  let server: RunningXandikos

  beforeAll(async () => {
    server = await startXandikos({ user: 'alice' })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('serves the configured principal with a default calendar', async () => {
    expect(server.principalPath).toBe('/alice/')
    expect(server.homePath).toBe('/alice/calendars/')
    const res = await fetch(server.url + 'alice/calendars/', {
      method: 'PROPFIND',
      headers: { Depth: '1', ...xmlHeaders },
      body: propfindBody,
    })
    const xml = await res.text()
    expect(res.status).toBe(207)
    expect(xml).toContain('/alice/calendars/calendar/')
  })

  it('creates calendars with MKCALENDAR and stores events', async () => {
    // Xandikos 0.2.8 accepts supported-calendar-component-set in MKCALENDAR but always reports all four components:
    // VTODO-only collections (iCloud Reminders) can only be reproduced with Radicale.
    const tasks = await createCalendar(server, {
      path: '/alice/calendars/tasks/',
      displayName: 'Tasks',
      components: ['VTODO'],
    })
    const res = await fetch(tasks, { method: 'PROPFIND', headers: { Depth: '0', ...xmlHeaders }, body: propfindBody })
    const xml = await res.text()
    expect(xml).toContain('<ns0:displayname>Tasks</ns0:displayname>')
    expect(xml).toMatch(/comp name="VTODO"/)

    const work = await createCalendar(server, {
      path: '/alice/calendars/work/',
      displayName: 'Work',
      color: '#00FF00FF',
    })
    const props = await (
      await fetch(work, { method: 'PROPFIND', headers: { Depth: '0', ...xmlHeaders }, body: propfindBody })
    ).text()
    expect(props).toContain('#00FF00FF')
    const etag = await putEvent(work, 'e1.ics', sampleEvent('e1'))
    expect(etag.length).toBeGreaterThan(2)
    await deleteEvent(work + 'e1.ics')
    expect((await fetch(work + 'e1.ics')).status).toBe(404)
  })
})
