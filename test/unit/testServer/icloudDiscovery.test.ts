import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startICloudServer, type ICloudTestAccount, type ICloudTestServer } from '../../support/caldav/icloud/index.ts'
import { dav, multigetXml, okProps, propfindXml, responsesByHref, sampleEvent, syncCollectionXml } from './fixtures.ts'

const APPLE_ID = 'Alice.Appleseed@icloud.com'
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop'
const NORMAL_PASSWORD = 'Correct-Horse-1'
const auth: [string, string] = [APPLE_ID, APP_PASSWORD]

const CALENDAR_PROPS =
  '<d:resourcetype/><d:displayname/><cs:getctag/><d:sync-token/><a:calendar-color/><d:current-user-privilege-set/>' +
  '<c:supported-calendar-component-set/><cs:source/>'

describe('iCloud test server: discovery, auth and the calendar home', () => {
  let server: ICloudTestServer
  let account: ICloudTestAccount
  let other: ICloudTestAccount

  beforeAll(async () => {
    server = await startICloudServer()
    account = await server.addAccount({
      appleId: APPLE_ID,
      appSpecificPassword: APP_PASSWORD,
      normalPassword: NORMAL_PASSWORD,
    })
    await account.addCalendar('shared-team', { displayName: 'Team (shared)', color: '#FF2968FF', readOnlyShared: true })
    other = await server.addAccount({
      appleId: 'bob@icloud.com',
      appSpecificPassword: 'bbbb-cccc-dddd-eeee',
      dsid: '99887766',
    })
  })
  afterAll(async () => {
    await server?.stop()
  })
  beforeEach(() => {
    server.resetQuirks()
    server.clearRequests()
  })

  describe('entry host', () => {
    it('answers current-user-principal with /<numeric dsid>/principal/', async () => {
      const res = await dav('PROPFIND', server.entryUrl, {
        auth,
        depth: '0',
        body: propfindXml('<d:current-user-principal/>'),
      })
      expect(res.status).toBe(207)
      const href = /<D:current-user-principal><D:href>([^<]+)</.exec(res.text)?.[1]
      expect(href).toBe(`/${account.dsid}/principal/`)
      expect(account.dsid).toMatch(/^\d+$/)
      expect(account.principalPath).toBe(href)
    })

    it('points calendar-home-set to an absolute URL on the partition host', async () => {
      const res = await dav('PROPFIND', server.entryUrl + account.principalPath.slice(1), {
        auth,
        depth: '0',
        body: propfindXml('<c:calendar-home-set/>'),
      })
      expect(res.status).toBe(207)
      const home = /<C:calendar-home-set><D:href>([^<]+)</.exec(res.text)?.[1]
      expect(home).toBe(`${server.partitionUrl}${account.dsid}/calendars/`)
      expect(new URL(server.partitionUrl).port).not.toBe(new URL(server.entryUrl).port)
    })

    it('does not serve calendar paths (hrefs resolved against the entry URL fail)', async () => {
      const home = await dav('PROPFIND', server.entryUrl + account.homePath.slice(1), {
        auth,
        depth: '1',
        body: propfindXml('<d:resourcetype/>'),
      })
      expect(home.status).toBe(404)
      const calendarPath = `${account.homePath}calendar/`
      const report = await dav('REPORT', server.entryUrl + calendarPath.slice(1), {
        auth,
        depth: '1',
        body: multigetXml([]),
      })
      expect(report.status).toBe(404)
      const onPartition = await dav('PROPFIND', account.calendarUrl('calendar'), {
        auth,
        depth: '0',
        body: propfindXml('<d:displayname/>'),
      })
      expect(onPartition.status).toBe(207)
      expect(server.requests.map((r) => [r.host, r.status])).toEqual([
        ['entry', 404],
        ['entry', 404],
        ['partition', 207],
      ])
    })

    it('also answers principal discovery on the partition host', async () => {
      const res = await dav('PROPFIND', server.partitionUrl, {
        auth,
        depth: '0',
        body: propfindXml('<d:current-user-principal/>'),
      })
      expect(res.text).toContain(`/${account.dsid}/principal/`)
    })
  })

  describe('authentication', () => {
    it('accepts the Apple ID case-insensitively with the app-specific password', async () => {
      const res = await dav('PROPFIND', server.entryUrl, {
        auth: [APPLE_ID.toUpperCase(), APP_PASSWORD],
        depth: '0',
        body: propfindXml('<d:current-user-principal/>'),
      })
      expect(res.status).toBe(207)
    })

    it('refuses the normal Apple ID password exactly like a wrong one', async () => {
      const body = propfindXml('<d:current-user-principal/>')
      const normal = await dav('PROPFIND', server.entryUrl, { auth: [APPLE_ID, NORMAL_PASSWORD], depth: '0', body })
      const wrong = await dav('PROPFIND', server.entryUrl, {
        auth: [APPLE_ID, 'wxyz-wxyz-wxyz-wxyz'],
        depth: '0',
        body,
      })
      const none = await dav('PROPFIND', server.entryUrl, { depth: '0', body })
      for (const res of [normal, wrong, none]) {
        expect(res.status).toBe(401)
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/)
      }
      expect(normal.text).toBe(wrong.text)
    })

    it('refuses another account’s paths', async () => {
      const res = await dav('PROPFIND', other.calendarUrl('calendar'), {
        auth,
        depth: '0',
        body: propfindXml('<d:displayname/>'),
      })
      expect(res.status).toBe(403)
    })

    it('gives 401 everywhere after revokePassword(), until a new app-specific password is issued', async () => {
      const bob: [string, string] = ['bob@icloud.com', 'bbbb-cccc-dddd-eeee']
      const before = await dav('GET', other.calendarUrl('calendar'), { auth: bob })
      expect(before.status).not.toBe(401)
      other.revokePassword()
      const entry = await dav('PROPFIND', server.entryUrl, {
        auth: bob,
        depth: '0',
        body: propfindXml('<d:current-user-principal/>'),
      })
      const calendar = await dav('PUT', other.calendarUrl('calendar') + 'x.ics', {
        auth: bob,
        body: sampleEvent('x'),
        headers: { 'Content-Type': 'text/calendar' },
      })
      expect([entry.status, calendar.status]).toEqual([401, 401])
      other.setAppSpecificPassword('ffff-gggg-hhhh-iiii')
      const renewed = await dav('PROPFIND', server.entryUrl, {
        auth: ['bob@icloud.com', 'ffff-gggg-hhhh-iiii'],
        depth: '0',
        body: propfindXml('<d:current-user-principal/>'),
      })
      expect(renewed.status).toBe(207)
      const oldAgain = await dav('PROPFIND', server.entryUrl, {
        auth: bob,
        depth: '0',
        body: propfindXml('<d:current-user-principal/>'),
      })
      expect(oldAgain.status).toBe(401)
    })
  })

  describe('calendar home listing', () => {
    let listing: Map<string, string>
    const href = (name: string) => `${account.homePath}${name}/`

    beforeAll(async () => {
      const res = await dav('PROPFIND', `${server.partitionUrl}${account.homePath.slice(1)}`, {
        auth,
        depth: '1',
        body: propfindXml(CALENDAR_PROPS),
      })
      expect(res.status).toBe(207)
      expect(res.text).not.toContain(`/u${account.dsid}/`)
      listing = responsesByHref(res.text)
    })

    it('lists the home itself without a principal resourcetype', () => {
      const home = okProps(listing.get(account.homePath) ?? '')
      expect(home).toMatch(/<(\w+:)?collection\s*\/>/)
      expect(home).not.toMatch(/principal/)
    })

    it('reports event calendars with ctag, sync-token, name, Apple color and privileges', () => {
      const calendar = okProps(listing.get(href('calendar')) ?? '')
      expect(calendar).toMatch(/<C:calendar \/>/)
      expect(calendar).toMatch(/comp name="VEVENT"/)
      expect(calendar).toMatch(/<CS:getctag>"[^<]+"<\/CS:getctag>/)
      expect(calendar).toMatch(/<sync-token>[^<]+<\/sync-token>/)
      expect(calendar).toContain('<displayname>Calendar</displayname>')
      expect(calendar).toMatch(/<ICAL:calendar-color>#[0-9A-F]{8}<\/ICAL:calendar-color>/)
      expect(calendar).toMatch(/<privilege><write \/><\/privilege>/)
    })

    it('includes a VTODO-only Reminders list', () => {
      const tasks = okProps(listing.get(href('tasks')) ?? '')
      expect(tasks).toMatch(/<C:calendar \/>/)
      expect(tasks).toMatch(/comp name="VTODO"/)
      expect(tasks).not.toMatch(/comp name="VEVENT"/)
    })

    it('includes inbox, outbox and notification collections that are not calendars', () => {
      const inbox = okProps(listing.get(href('inbox')) ?? '')
      const outbox = okProps(listing.get(href('outbox')) ?? '')
      const notification = okProps(listing.get(href('notification')) ?? '')
      expect(inbox).toContain('<C:schedule-inbox/>')
      expect(outbox).toContain('<C:schedule-outbox/>')
      expect(notification).toContain('<CS:notification/>')
      for (const props of [inbox, outbox, notification]) expect(props).not.toMatch(/<C:calendar\s*\/>/)
    })

    it('includes a subscribed calendar: CS:subscribed without C:calendar, with CS:source', () => {
      const subscribed = okProps(listing.get(href('holidays-sub')) ?? '')
      expect(subscribed).toContain('<CS:subscribed/>')
      expect(subscribed).not.toMatch(/<C:calendar\s*\/>/)
      expect(subscribed).toMatch(/<CS:source><D:href>webcal:\/\/[^<]+<\/D:href><\/CS:source>/)
    })

    it('omits CS:source of the subscribed calendar when the quirk is on', async () => {
      server.quirks.omitSubscribedSource = true
      const res = await dav('PROPFIND', account.calendarUrl('holidays-sub'), {
        auth,
        depth: '0',
        body: propfindXml(CALENDAR_PROPS),
      })
      const props = okProps(responsesByHref(res.text).get(href('holidays-sub')) ?? '')
      expect(props).toContain('<CS:subscribed/>')
      expect(props).not.toContain('CS:source')
    })

    it('marks the read-only shared calendar CS:shared with read-only privileges', () => {
      const shared = okProps(listing.get(href('shared-team')) ?? '')
      expect(shared).toMatch(/<C:calendar \/>/)
      expect(shared).toContain('<shared xmlns="http://calendarserver.org/ns/" />')
      expect(shared).toMatch(/<privilege><read \/><\/privilege>/)
      expect(shared).not.toMatch(/<(write|bind|all|write-content) \/>/)
    })
  })

  describe('read-only shared calendar', () => {
    it('serves events put by the owner but refuses PUT and DELETE with 403', async () => {
      await account.putEvent('shared-team', 'owner.ics', sampleEvent('owner', 'Owner event'))
      const url = account.calendarUrl('shared-team')
      const get = await dav('GET', url + 'owner.ics', { auth })
      expect(get.status).toBe(200)
      expect(get.text).toContain('SUMMARY:Owner event')
      const put = await dav('PUT', url + 'mine.ics', {
        auth,
        body: sampleEvent('mine'),
        headers: { 'Content-Type': 'text/calendar' },
      })
      expect(put.status).toBe(403)
      const del = await dav('DELETE', url + 'owner.ics', { auth })
      expect(del.status).toBe(403)
      expect((await dav('GET', url + 'owner.ics', { auth })).status).toBe(200)
    })
  })

  describe('path mapping', () => {
    it('maps hrefs both ways in multiget and sync-collection', async () => {
      const url = account.calendarUrl('calendar')
      const put = await dav('PUT', url + 'mapped.ics', {
        auth,
        body: sampleEvent('mapped', 'Mapped'),
        headers: { 'Content-Type': 'text/calendar' },
      })
      expect(put.status).toBe(201)
      await account.putEvent('calendar', 'direct.ics', sampleEvent('direct', 'Direct'))

      const hrefs = [`${account.homePath}calendar/mapped.ics`, `${url}direct.ics`]
      const multiget = await dav('REPORT', url, { auth, depth: '1', body: multigetXml(hrefs) })
      expect(multiget.status).toBe(207)
      const byHref = responsesByHref(multiget.text)
      expect(okProps(byHref.get(`${account.homePath}calendar/mapped.ics`) ?? '')).toContain('SUMMARY:Mapped')
      expect(okProps(byHref.get(`${account.homePath}calendar/direct.ics`) ?? '')).toContain('SUMMARY:Direct')

      const sync = await dav('REPORT', url, { auth, depth: '1', body: syncCollectionXml('') })
      expect(sync.status).toBe(207)
      expect([...responsesByHref(sync.text).keys()].sort()).toEqual(
        [`${account.homePath}calendar/direct.ics`, `${account.homePath}calendar/mapped.ics`].sort(),
      )
      expect(sync.text).not.toContain(`/u${account.dsid}/`)
    })

    it('rewrites current-user-principal on calendar collections to the iCloud principal', async () => {
      const res = await dav('PROPFIND', account.calendarUrl('calendar'), {
        auth,
        depth: '0',
        body: propfindXml('<d:current-user-principal/>'),
      })
      expect(res.text).toMatch(new RegExp(`<current-user-principal><href>/${account.dsid}/principal/</href>`))
    })
  })
})
