// `npm run screenshots`: the booking widget and the iCloud settings page at desktop (1280 px) and mobile (360 px)
// width, into docs/screenshots/. Runs the real server on a throw-away embedded database with the demo seed and the
// iCloud-like test server (the same parts as the browser tests).
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { decodeGlobalID } from '@pothos/plugin-relay'
import { createApp } from '../src/app/app.ts'
import { loadConfig } from '../src/config.ts'
import { seedDemo } from '../src/app/seedDemo.ts'
import { syncIntegration } from '../src/sync/index.ts'
import { request } from '../web/shared/graphql.ts'
import { ConfigureICloudCalendars, ConnectICloud } from '../web/settings/operations.ts'
import { DateTime } from 'luxon'
import { startICloudServer, type ICloudTestAccount } from '../test/support/caldav/icloud/index.ts'
import { launchBrowser } from '../test/browser/support/browser.ts'
import { ensurePagesBuilt } from '../test/browser/support/pagesBuild.ts'

const outDir = path.resolve('docs/screenshots')
const appleId = 'bob@icloud.com'
const appSpecificPassword = 'abcd-efgh-ijkl-mnop'

async function main() {
  await ensurePagesBuilt()
  const icloud = await startICloudServer()
  const account = await icloud.addAccount({ appleId, appSpecificPassword })
  await account.addCalendar('work', { displayName: 'Work', color: '#1BADF8FF' })
  await account.addCalendar('family', { displayName: 'Family (shared)', color: '#63DA38FF', readOnlyShared: true })
  const dataDir = await mkdtemp(path.join(tmpdir(), 'screenshots-'))
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ICLOUD_CALDAV_URL: icloud.entryUrl,
  })
  const app = await createApp(config, { startBackgroundJobs: false })
  const { url } = await app.listen()
  const browser = await launchBrowser()
  try {
    const demo = await seedDemo(app.services.prisma)
    const bob = demo.users.find((user) => user.email === 'bob@demo.example')!
    const token = await app.services.tokens.sign({ userId: bob.id, subaccountId: demo.subaccount.id })
    const carol = demo.users.find((user) => user.email === 'carol@demo.example')!
    const carolToken = await app.services.tokens.sign({ userId: carol.id, subaccountId: demo.subaccount.id })
    await shoot(browser, `${url}/settings/icloud#token=${carolToken}`, 'settings-connect', '#connect-title', [1280])
    await putBusyEvent(account)
    const integrationId = await connectAndConfigure(`${url}/graphql`, token)
    await syncIntegration(app.services, decodeGlobalID(integrationId).id, 'MANUAL')
    await shoot(browser, `${url}${demo.publicPath}`, 'booking', '.time')
    await shoot(browser, `${url}/settings/icloud#token=${token}`, 'settings', '[data-testid="status-badge"]')
  } finally {
    await browser.close()
    await app.close()
    await icloud.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}

/** Bob connects iCloud, links Work, lets the shared Family calendar block time, and syncs once. */
async function connectAndConfigure(graphqlUrl: string, token: string) {
  const endpoint = { url: graphqlUrl, authorization: () => `Bearer ${token}` }
  const connected = (await request(endpoint, ConnectICloud, { input: { appleId, appSpecificPassword } })).connectICloud
  if (connected.__typename !== 'ConnectICloudSuccess') throw new Error(JSON.stringify(connected))
  const { integration } = connected
  const byName = (name: string) => integration.calendars.find((c) => c.displayName === name)!.id
  const input = {
    integrationId: integration.id,
    linkedCalendarId: byName('Work'),
    conflictCalendarIds: [byName('Family (shared)')],
  }
  const configured = (await request(endpoint, ConfigureICloudCalendars, { input })).configureICloudCalendars
  if (configured.__typename !== 'ConfigureICloudCalendarsSuccess') throw new Error(JSON.stringify(configured))
  return integration.id
}

/** Bob's daily lunch in iCloud (12:00–13:00 Berlin): the widget shows the gap it makes. */
async function putBusyEvent(account: ICloudTestAccount) {
  const day = DateTime.now().setZone('Europe/Berlin').startOf('day')
  const local = (hour: number) => day.set({ hour }).toFormat("yyyyMMdd'T'HHmmss")
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//screenshots//EN', 'BEGIN:VEVENT', 'UID:lunch@screenshots']
  ics.push(
    'DTSTAMP:20260101T000000Z',
    `DTSTART;TZID=Europe/Berlin:${local(12)}`,
    `DTEND;TZID=Europe/Berlin:${local(13)}`,
  )
  ics.push('RRULE:FREQ=DAILY;COUNT=60', 'SUMMARY:Lunch', 'END:VEVENT', 'END:VCALENDAR', '')
  await account.putEvent('work', 'lunch.ics', ics.join('\r\n'))
}

async function shoot(
  browser: Awaited<ReturnType<typeof launchBrowser>>,
  url: string,
  name: string,
  ready: string,
  widths: number[] = [1280, 360],
) {
  await mkdir(outDir, { recursive: true })
  for (const width of widths) {
    const label = width < 600 ? 'mobile' : 'desktop'
    const page = await browser.newPage(width)
    // Full-page shots: a short viewport so the picture ends where the page does.
    await page.setViewportSize({ width, height: 560 })
    await page.goto(url)
    await page.locator(ready).first().waitFor()
    await page.waitForTimeout(300)
    const file = path.join(outDir, `${name}-${label}.png`)
    await page.screenshot({ path: file, fullPage: true })
    console.log(`wrote ${path.relative(process.cwd(), file)}`)
    await page.close()
  }
}

await main()
