// The iCloud settings page in Chromium against the iCloud-faithful CalDAV server: connect with an Apple ID and an
// app-specific password, see unselectable calendars disabled with their reason, choose the linked and conflict
// calendars, follow a sync live, reconnect after the password was revoked, disconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startICloudServer, type ICloudTestServer } from '../support/caldav/icloud/index.ts'
import { createTeam } from '../support/factories.ts'
import { startTestApp, type TestApp } from '../support/testApp.ts'
import { useBrowser } from './support/browser.ts'

const browser = useBrowser()
let server: ICloudTestServer
let t: TestApp

beforeAll(async () => {
  server = await startICloudServer()
  t = await startTestApp({ ICLOUD_CALDAV_URL: server.entryUrl, CALDAV_TIMEOUT_MS: '5000' })
})
afterAll(async () => {
  await t?.close()
  await server?.stop()
})

async function integrationOf(userId: string) {
  return t.services.prisma.integration.findFirst({
    where: { userId },
    include: { linkedCalendar: { include: { calendar: true } }, conflictCalendars: { include: { calendar: true } } },
  })
}

describe('iCloud settings page', () => {
  it('connects, lists calendars with reasons, saves the choice and syncs live', async () => {
    const account = await server.addAccount({ appleId: 'kim@icloud.com', appSpecificPassword: 'abcd-efgh-ijkl-mnop' })
    await account.addCalendar('work', { displayName: 'Work' })
    await account.addCalendar('boss', { displayName: "Boss's calendar", readOnlyShared: true })
    const { user } = await createTeam(t.services)
    const page = await browser.newPage()
    await page.goto(`${t.url}/settings/icloud#token=${user.token}`)
    // The token leaves the address bar at once.
    await page.getByRole('heading', { name: 'Connect iCloud Calendar' }).waitFor()
    expect(page.url()).toBe(`${t.url}/settings/icloud`)
    await expect(page.getByRole('link', { name: 'appleid.apple.com' }).getAttribute('href')).resolves.toBe(
      'https://appleid.apple.com',
    )

    // A wrong password: iCloud's 401 becomes an error next to the form, and nothing is stored.
    await page.getByLabel('Apple ID').fill('kim@icloud.com')
    await page.getByLabel('App-specific password').fill('wxyz-wxyz-wxyz-wxyz')
    await page.getByRole('button', { name: 'Connect iCloud' }).click()
    await page
      .getByText(/app-specific password/i, { exact: false })
      .first()
      .waitFor()
    await page.locator('.notice.error').waitFor()
    expect(await integrationOf(user.id)).toBeNull()

    await page.getByLabel('App-specific password').fill('abcd-efgh-ijkl-mnop')
    await page.getByRole('button', { name: 'Connect iCloud' }).click()
    await page.getByTestId('status-badge').filter({ hasText: 'Connected' }).waitFor()

    // Read-only shared: a conflict calendar, never the linked one; Reminders: neither, with the reason.
    await expect(page.getByRole('radio', { name: "Linked: Boss's calendar" }).isDisabled()).resolves.toBe(true)
    await expect(page.getByRole('checkbox', { name: "Blocks time: Boss's calendar" }).isEnabled()).resolves.toBe(true)
    const reminders = page.getByRole('checkbox', { name: 'Blocks time: Reminders' })
    await expect(reminders.isDisabled()).resolves.toBe(true)
    await expect(page.locator(`#${await reminders.getAttribute('aria-describedby')}`).textContent()).resolves.toMatch(
      /tasks, not events/,
    )

    await page.getByRole('radio', { name: 'Linked: Work' }).check()
    await page.getByRole('checkbox', { name: "Blocks time: Boss's calendar" }).check()
    await page.getByRole('button', { name: 'Save calendars' }).click()
    await page.getByText('Calendars saved.').waitFor()
    const saved = await integrationOf(user.id)
    expect(saved?.linkedCalendar?.calendar.displayName).toBe('Work')
    // The linked calendar blocks time too (the default).
    expect(saved?.conflictCalendars.map((c) => c.calendar.displayName).sort()).toEqual(["Boss's calendar", 'Work'])

    // Sync now: the status line follows syncStatusChanged to the end of the run.
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page
      .getByTestId('sync-status')
      .filter({ hasText: /Last sync .*up to date/ })
      .waitFor()
    expect(await page.getByText(/Last checked/).count()).toBeGreaterThan(0)

    // Apple revokes the password: the next sync shows "Needs re-auth" with the remedy, live.
    account.revokePassword()
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.getByTestId('status-badge').filter({ hasText: 'Needs re-auth' }).waitFor()
    await page.getByRole('alert').filter({ hasText: 'no longer accepts' }).waitFor()
    account.setAppSpecificPassword('qrst-qrst-qrst-qrst')
    const reconnect = page.getByRole('region', { name: 'Reconnect' })
    await reconnect.getByLabel('App-specific password').fill('qrst-qrst-qrst-qrst')
    await reconnect.getByRole('button', { name: 'Reconnect' }).click()
    await page.getByTestId('status-badge').filter({ hasText: 'Connected' }).waitFor()
    expect((await integrationOf(user.id))?.status).toBe('CONNECTED')

    await page.getByRole('button', { name: 'Disconnect iCloud' }).click()
    await page.getByRole('button', { name: 'Yes, disconnect' }).click()
    await page.getByText('iCloud Calendar was disconnected.').waitFor()
    await page.getByRole('heading', { name: 'Connect iCloud Calendar' }).waitFor()
    await page.close()
  })

  it('asks for a token when opened without one and takes one posted by the embedding CRM', async () => {
    const { user } = await createTeam(t.services)
    const page = await browser.newPage(360)
    await page.goto(`${t.url}/healthz`)
    // The CRM frames the page and posts the token once the page says it is ready.
    await page.setContent(`<iframe id="f" src="${t.url}/settings/icloud" style="width:340px;height:600px"></iframe>
      <script>
        addEventListener('message', (e) => {
          if (e.data && e.data.type === 'icloud-settings:ready')
            e.source.postMessage({ type: 'icloud-settings:token', token: ${JSON.stringify(user.token)} }, '*')
          if (e.data && e.data.type === 'icloud-settings:height') document.title = 'height ' + e.data.height
        })
      </script>`)
    const frame = page.frameLocator('#f')
    await frame.getByRole('heading', { name: 'Connect iCloud Calendar' }).waitFor()
    await page.waitForFunction(() => document.title.startsWith('height '))

    const standalone = await browser.newPage()
    await standalone.goto(`${t.url}/settings/icloud`)
    await standalone.getByLabel('Staff token').fill('not-a-token')
    await standalone.getByRole('button', { name: 'Sign in' }).click()
    await standalone.getByRole('alert').filter({ hasText: 'not valid' }).waitFor()
    await page.close()
    await standalone.close()
  })
})
