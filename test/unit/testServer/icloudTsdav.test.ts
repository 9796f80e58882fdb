// The test server must reproduce the tsdav 2.3.4 behaviour the product works around (ICLOUD.md, "Connecting"):
// tsdav resolves calendar hrefs against the entry URL, which does not serve calendar paths.
import { DAVClient } from 'tsdav'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startICloudServer, type ICloudTestAccount, type ICloudTestServer } from '../../support/caldav/icloud/index.ts'
import { sampleEvent } from './fixtures.ts'

const credentials = { username: 'tsdav@icloud.com', password: 'tttt-ssss-dddd-aaaa' }

describe('iCloud test server with tsdav 2.3.4', () => {
  let server: ICloudTestServer
  let account: ICloudTestAccount

  beforeAll(async () => {
    server = await startICloudServer()
    account = await server.addAccount({ appleId: credentials.username, appSpecificPassword: credentials.password })
    await account.putEvent('calendar', 'one.ics', sampleEvent('one', 'One'))
  })
  afterAll(async () => {
    await server?.stop()
  })

  /** tsdav as an app would use it: Basic auth against the entry host, discovery by login(). */
  async function loggedInClient(): Promise<DAVClient> {
    const client = new DAVClient({
      serverUrl: server.entryUrl,
      credentials,
      authMethod: 'Basic',
      defaultAccountType: 'caldav',
    })
    await client.login()
    return client
  }

  it('fails when tsdav resolves calendars against the entry host', async () => {
    const client = await loggedInClient()
    expect(client.account?.homeUrl).toBe(`${server.partitionUrl}${account.dsid}/calendars/`)
    const calendars = await client.fetchCalendars()
    const calendar = calendars.find((c) => c.url.endsWith('/calendar/'))
    expect(calendar?.url.startsWith(server.entryUrl)).toBe(true)
    await expect(client.fetchCalendarObjects({ calendar: calendar! })).rejects.toThrow(/404/)
  })

  it('works when the account is rooted on the partition host', async () => {
    server.clearRequests()
    const client = await loggedInClient()
    const homeUrl = client.account?.homeUrl ?? ''
    const calendars = await client.fetchCalendars({
      account: { ...client.account!, rootUrl: new URL('/', homeUrl).href, homeUrl },
    })
    const calendar = calendars.find((c) => c.url.endsWith('/calendar/'))
    expect(calendar?.url).toBe(account.calendarUrl('calendar'))
    const objects = await client.fetchCalendarObjects({ calendar: calendar! })
    expect(objects.map((o) => o.data)).toEqual([expect.stringContaining('SUMMARY:One')])
    expect(server.requests.filter((r) => r.host === 'partition' && r.status >= 400)).toEqual([])
  })
})
