// Helpers of the booking-widget browser tests: a published calendar whose member has a linked iCloud calendar on
// the iCloud-faithful server, and page steps that go through the widget as a person does.
import type { DateTime } from 'luxon'
import type { Page, Response } from 'playwright-core'
import { PublishCrmCalendar } from '../../e2e/publicBooking/support.ts'
import { setUpLinkedCalendar, type LinkedMember } from '../../e2e/writeBack/support.ts'
import type { SyncServer } from '../../support/integrationFixtures.ts'
import type { TestApp } from '../../support/testApp.ts'

export interface PublishedLinkedCalendar extends LinkedMember {
  widgetPath: string
}

export async function setUpPublishedLinkedCalendar(t: TestApp, server: SyncServer): Promise<PublishedLinkedCalendar> {
  const [member] = await setUpLinkedCalendar(t, server, {
    settings: { slotDurationMinutes: 30, slotIntervalMinutes: 30 },
  })
  const published = await member!.f.adminClient.data(PublishCrmCalendar, {
    input: { calendarId: member!.f.calendarId, published: true, description: 'A first talk about your project.' },
  })
  if (published.publishCrmCalendar.__typename !== 'PublishCrmCalendarSuccess') {
    throw new Error(JSON.stringify(published.publishCrmCalendar))
  }
  const subaccount = await t.services.prisma.subaccount.findUniqueOrThrow({ where: { id: member!.f.subaccountId } })
  return { ...member!, widgetPath: `/book/${subaccount.slug}/${published.publishCrmCalendar.crmCalendar.slug}` }
}

/** Shows the month of `day` (Next month as often as needed) and opens the day. */
export async function openDay(page: Page, day: DateTime) {
  const cell = page.locator(`button.day[data-date="${day.toFormat('yyyy-MM-dd')}"]`)
  for (let i = 0; i < 3 && !(await cell.isVisible()); i++) {
    await page.getByRole('button', { name: 'Next month' }).click()
    await page.locator('button.day').first().waitFor()
  }
  await cell.click()
  await page.locator('.day-view').waitFor()
}

export const timeButton = (page: Page, start: string) => page.locator(`button.time[data-start="${start}"]`)

/** Every JSON answer of the public path the page received (to check what a visitor can ever see). */
export function recordPublicResponses(page: Page): { bodies: string[]; requests: string[]; staffRequests: string[] } {
  const record = { bodies: [] as string[], requests: [] as string[], staffRequests: [] as string[] }
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.pathname === '/public/graphql') record.requests.push(request.postData() ?? '')
    if (url.pathname === '/graphql') record.staffRequests.push(request.url())
  })
  page.on('response', (response: Response) => {
    if (new URL(response.url()).pathname !== '/public/graphql') return
    void response.text().then(
      (text) => record.bodies.push(text),
      () => {},
    )
  })
  page.on('websocket', (socket) => {
    socket.on('framereceived', ({ payload }) => record.bodies.push(String(payload)))
    socket.on('framesent', ({ payload }) => record.requests.push(String(payload)))
  })
  return record
}
