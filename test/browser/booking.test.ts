// The booking widget and the manage page in Chromium, against the real server and the iCloud-faithful CalDAV
// server: live availability (an iCloud event and another invitee take slots without a reload), booking writes the
// event to iCloud and the appointment to the CRM, the manage link cancels, keyboard-only booking, and the public
// path never shows staff data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncIntegration } from '../../src/sync/index.ts'
import { PublicTestClient } from '../support/publicClient.ts'
import { eventIcs, startICloudSyncServer, type SyncServer } from '../support/integrationFixtures.ts'
import { startTestApp, type TestApp } from '../support/testApp.ts'
import { at, upcomingMonday } from '../e2e/scheduling/support.ts'
import { drainOutbox, fetchResource, listResources } from '../e2e/writeBack/support.ts'
import { BookPublicSlotDocument } from '../../web/generated/graphql.ts'
import { useBrowser } from './support/browser.ts'
import { openDay, recordPublicResponses, setUpPublishedLinkedCalendar, timeButton } from './support/widget.ts'

const browser = useBrowser()
let server: SyncServer
let t: TestApp

beforeAll(async () => {
  server = await startICloudSyncServer()
  t = await startTestApp({ ICLOUD_CALDAV_URL: server.serverUrl })
})
afterAll(async () => {
  await t?.close()
  await server?.stop()
})

const icsStamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '')

async function appointmentsOf(email: string) {
  return t.services.prisma.appointment.findMany({
    where: { contact: { email } },
    include: { participants: true },
  })
}

describe('booking widget', () => {
  it('drops a slot blocked by a new iCloud event live, books one, and never shows staff data', async () => {
    const cal = await setUpPublishedLinkedCalendar(t, server)
    const monday = upcomingMonday()
    const page = await browser.newPage()
    const seen = recordPublicResponses(page)
    await page.goto(`${t.url}${cal.widgetPath}`)
    await page.getByRole('heading', { name: 'SERVICE calendar' }).waitFor()
    await page.getByText('Times update live').waitFor()
    await openDay(page, monday)
    await timeButton(page, at(monday, 10)).waitFor()
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))

    // Someone adds an event in iCloud; the sync engine picks it up; the widget drops 10:00 and 10:30 by itself.
    await cal.login.put(
      cal.calendarUrl,
      'dentist.ics',
      eventIcs({
        uid: 'dentist-1',
        start: icsStamp(at(monday, 10)),
        end: icsStamp(at(monday, 11)),
        summary: 'Dentist (private)',
      }),
    )
    expect((await syncIntegration(t.services, cal.integrationId, 'MANUAL'))?.outcome).toBe('SUCCESS')
    await timeButton(page, at(monday, 10)).waitFor({ state: 'detached' })
    await expect(timeButton(page, at(monday, 10, 30)).count()).resolves.toBe(0)
    await expect(timeButton(page, at(monday, 11)).count()).resolves.toBe(1)
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42)

    // Book 11:00 with the form.
    await timeButton(page, at(monday, 11)).click()
    await page.getByLabel('Name').fill('Grace Hopper')
    await page.getByLabel('E-mail').fill('grace@example.com')
    await page.getByLabel('Phone (optional)').fill('+1 555 0100')
    await page.getByLabel('Anything we should know? (optional)').fill('About the compiler.')
    await page.getByRole('button', { name: 'Confirm booking' }).click()
    await page.getByRole('heading', { name: 'You are booked' }).waitFor()
    const ics = await page.getByRole('link', { name: 'Download .ics' }).getAttribute('href')
    expect(decodeURIComponent(ics!)).toContain(`DTSTART:${icsStamp(at(monday, 11))}`)
    const google = new URL((await page.getByRole('link', { name: 'Google Calendar' }).getAttribute('href'))!)
    expect(google.searchParams.get('dates')).toBe(`${icsStamp(at(monday, 11))}/${icsStamp(at(monday, 11, 30))}`)
    expect(await page.getByRole('link', { name: 'Outlook' }).getAttribute('href')).toContain('outlook.live.com')

    // The appointment is in the CRM, and the outbox writes it to the member's linked iCloud calendar.
    const [appointment] = await appointmentsOf('grace@example.com')
    expect(appointment).toMatchObject({ status: 'BOOKED', start: new Date(at(monday, 11)) })
    await drainOutbox(t)
    const hrefs = await listResources(cal.login, cal.calendarUrl)
    const written = hrefs.find((href) => href.endsWith(`${appointment!.icalUid}.ics`))
    expect(written).toBeDefined()
    expect((await fetchResource(cal.login, cal.calendarUrl, written!))!.data).toContain('grace@example.com')

    // Cancel through the manage link.
    await page.getByTestId('manage-link').click()
    await page.getByRole('heading', { name: 'Your booking' }).waitFor()
    await page.getByRole('button', { name: 'Cancel booking' }).click()
    await page.getByLabel('Reason (optional)').fill('Found another time.')
    await page.getByRole('button', { name: 'Yes, cancel it' }).click()
    await page.getByRole('heading', { name: 'This booking is cancelled' }).waitFor()
    expect((await appointmentsOf('grace@example.com'))[0]!.status).toBe('CANCELLED')
    await drainOutbox(t)
    expect(await fetchResource(cal.login, cal.calendarUrl, written!)).toBeNull()

    // What the visitor's browser received: slots and their own booking, nothing of the staff side.
    const member = await t.services.prisma.user.findUniqueOrThrow({ where: { id: cal.userId } })
    const everything = seen.bodies.join('\n')
    expect(seen.bodies.length).toBeGreaterThan(3)
    for (const secret of [member.email, member.name, member.id, cal.login.username, 'Dentist', cal.integrationId]) {
      expect(everything).not.toContain(secret)
    }
    expect(seen.staffRequests).toEqual([])
    // Only persisted documents travel: hashes, never query text.
    for (const body of seen.requests.filter((b) => b.includes('variables'))) expect(body).not.toMatch(/"query":"\s*\w/)
    await page.close()
  })

  it('tells the visitor when the time they picked is taken and offers the nearest ones', async () => {
    const cal = await setUpPublishedLinkedCalendar(t, server)
    const monday = upcomingMonday()
    const page = await browser.newPage(360)
    await page.goto(`${t.url}${cal.widgetPath}`)
    await openDay(page, monday)
    await timeButton(page, at(monday, 14)).click()
    await page.getByLabel('Name').fill('Ada Lovelace')

    // Another invitee books 14:00 first, through the same public API.
    const other = new PublicTestClient(`${t.url}/public/graphql`)
    const [subaccountSlug, calendarSlug] = cal.widgetPath.split('/').slice(2)
    const taken = await other.data(BookPublicSlotDocument, {
      input: {
        subaccountSlug: subaccountSlug!,
        calendarSlug: calendarSlug!,
        start: at(monday, 14),
        timeZone: 'Europe/Berlin',
        name: 'Someone Else',
        email: 'else@example.com',
        idempotencyKey: crypto.randomUUID(),
      },
    })
    expect(taken.bookPublicSlot.__typename).toBe('BookPublicSlotSuccess')

    const notice = page.getByTestId('slot-taken')
    await notice.waitFor()
    await expect(notice.textContent()).resolves.toContain('no longer available')
    // Nearest: 13:30 and 14:30 (and one more), offered as buttons.
    const options = notice.getByRole('button')
    expect(await options.count()).toBe(3)
    await options.filter({ hasText: '14:30' }).click()
    await page.getByLabel('Name').fill('Ada Lovelace')
    await page.getByLabel('E-mail').fill('ada@example.com')
    await page.getByRole('button', { name: 'Confirm booking' }).click()
    await page.getByRole('heading', { name: 'You are booked' }).waitFor()
    expect((await appointmentsOf('ada@example.com'))[0]?.start).toEqual(new Date(at(monday, 14, 30)))
    await page.close()
  })

  it('books with the keyboard only', async () => {
    const cal = await setUpPublishedLinkedCalendar(t, server)
    const monday = upcomingMonday()
    const page = await browser.newPage()
    await page.goto(`${t.url}${cal.widgetPath}`)
    await page.locator('button.day').first().waitFor()
    const focused = () =>
      page.evaluate(
        () => document.activeElement?.getAttribute('data-date') ?? document.activeElement?.textContent ?? '',
      )
    const tabUntil = async (predicate: (label: string) => boolean) => {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab')
        if (predicate(await focused())) return
      }
      throw new Error('focus never reached the control')
    }
    // Into the month grid (one day in the tab order), then to the Monday with arrows and Page Down.
    await tabUntil((label) => /^\d{4}-\d{2}-\d{2}$/.test(label))
    const target = monday.toFormat('yyyy-MM-dd')
    for (let i = 0; i < 3 && !(await page.locator(`button.day[data-date="${target}"]`).isVisible()); i++) {
      await page.keyboard.press('PageDown')
      await page.locator('button.day').first().waitFor()
      await page.locator('button.day[tabindex="0"]').focus()
    }
    for (let i = 0; i < 40 && (await focused()) !== target; i++) {
      await page.keyboard.press((await focused()) < target ? 'ArrowRight' : 'ArrowLeft')
    }
    expect(await focused()).toBe(target)
    await page.keyboard.press('Enter')
    // Enter on a day moves focus to its first time (09:00).
    expect(await focused()).toContain('09:00')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name')
    await page.keyboard.type('Katherine Johnson')
    await page.keyboard.press('Tab')
    await page.keyboard.type('katherine@example.com')
    await tabUntil((label) => label === 'Confirm booking')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'You are booked' }).waitFor()
    expect((await appointmentsOf('katherine@example.com'))[0]?.start).toEqual(new Date(at(monday, 9, 30)))
    await page.close()
  })

  it('embeds with embed.js (auto height), follows a changed time zone, and reschedules through the manage page', async () => {
    const cal = await setUpPublishedLinkedCalendar(t, server)
    const monday = upcomingMonday()
    const page = await browser.newPage()
    await page.goto(`${t.url}/healthz`)
    const calendarRef = cal.widgetPath.replace('/book/', '')
    await page.setContent(
      `<h1>Our CRM site</h1><script src="${t.url}/embed.js" data-calendar="${calendarRef}"></script><p>Footer</p>`,
    )
    const iframe = page.locator('iframe[title="Book an appointment"]')
    await iframe.waitFor()
    const widget = page.frameLocator('iframe[title="Book an appointment"]')
    await widget.locator('button.day').first().waitFor()
    // The widget posts its height; the iframe follows it (no inner scroll bar).
    await page.waitForFunction(() => {
      const frame = document.querySelector('iframe')!
      return frame.style.height !== '640px' && frame.style.height !== ''
    })
    const heights = await iframe.evaluate((frame: HTMLIFrameElement) => ({
      outer: frame.getBoundingClientRect().height,
      inner: frame.contentDocument?.documentElement.scrollHeight ?? -1,
    }))
    expect(Math.abs(heights.outer - heights.inner)).toBeLessThan(4)

    // The visitor's zone (Europe/Berlin in this browser) can be changed: 09:00 Berlin is 03:00 in New York.
    const book = await browser.newPage(360)
    await book.goto(`${t.url}${cal.widgetPath}`)
    await expect(book.getByLabel('Time zone').inputValue()).resolves.toBe('Europe/Berlin')
    await openDay(book, monday)
    await expect(timeButton(book, at(monday, 9)).textContent()).resolves.toContain('09:00')
    await book.getByLabel('Time zone').selectOption('America/New_York')
    await expect(timeButton(book, at(monday, 9)).textContent()).resolves.toContain('03:00')
    await book.getByLabel('Time zone').selectOption('Europe/Berlin')
    await timeButton(book, at(monday, 15)).click()
    await book.getByLabel('Name').fill('Alan Turing')
    await book.getByLabel('E-mail').fill('alan@example.com')
    await book.getByRole('button', { name: 'Confirm booking' }).click()
    await book.getByTestId('manage-link').click()
    await book.getByRole('button', { name: 'Reschedule' }).click()
    await book.getByRole('heading', { name: 'Choose a new time' }).waitFor()
    await openDay(book, monday)
    await timeButton(book, at(monday, 16)).click()
    await book.getByText('Your booking was moved.').waitFor()
    // The address bar carries the new manage token.
    expect(book.url()).toMatch(/\/book\/manage\/[^/]+$/)
    const [moved] = await appointmentsOf('alan@example.com')
    expect(moved).toMatchObject({ status: 'BOOKED', start: new Date(at(monday, 16)) })
    await book.close()
    await page.close()
  })
})
