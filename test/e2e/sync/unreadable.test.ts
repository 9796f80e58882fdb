// An event the sync cannot read blocks nothing, so it is shown where the user looks: on its calendar
// (Calendar.unreadableEvents) and in Integration.statusText, on every later run too, until it changes or goes.
// Xandikos stores unreadable iCalendar (Radicale and the iCloud test server refuse it on PUT).
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { syncIntegration } from '../../../src/sync/index.ts'
import { graphql } from '../../graphql/index.ts'
import { createTeam, type TestUser } from '../../support/factories.ts'
import {
  createIntegrationFixture,
  eventIcs,
  stamp,
  startXandikosServer,
  type IntegrationFixture,
  type SyncServer,
} from '../../support/integrationFixtures.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'

const UnreadableQuery = graphql(`
  query SyncUnreadableEvents($id: ID!) {
    integration(id: $id) {
      statusText
      calendars {
        displayName
        unreadableEvents {
          href
          message
        }
      }
    }
  }
`)

const broken = (uid: string) =>
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:' +
  uid +
  '\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:2025-01-02\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'

let server: SyncServer
let t: TestApp
let user: TestUser
let fx: IntegrationFixture
let calendar: string

const sync = async () => (await syncIntegration(t.services, fx.integrationId, 'MANUAL'))?.outcome
const look = async () => {
  const data = await t.client(user.token).data(UnreadableQuery, { id: encodeGlobalID('Integration', fx.integrationId) })
  const work = data.integration!.calendars.find((c) => c.displayName === 'Work')!
  return { statusText: data.integration!.statusText, unreadable: work.unreadableEvents }
}

beforeAll(async () => {
  server = await startXandikosServer()
  t = await startTestApp({ ICLOUD_CALDAV_URL: server.serverUrl })
  user = (await createTeam(t.services)).user
  calendar = await server.makeCalendar('work', 'Work')
  await server.put(calendar, 'fine.ics', eventIcs({ uid: 'fine', start: stamp(1, 9), end: stamp(1, 10) }))
  await server.put(calendar, 'broken.ics', broken('broken'))
  await server.put(calendar, 'broken2.ics', broken('broken2'))
  fx = await createIntegrationFixture(t.services, user, server, { conflicts: [calendar] })
})
afterAll(async () => {
  await t?.close()
  await server?.stop()
})

it('lists unreadable events on their calendar and in the status text, on later runs too, until they change or go', async () => {
  expect(await sync()).toBe('PARTIAL')
  // The next run fetches nothing (the ETags did not change) and succeeds: the events are still ignored and shown.
  expect(await sync()).toBe('SUCCESS')
  const shown = await look()
  expect(shown.unreadable.map((u) => u.href.split('/').pop())).toEqual(['broken.ics', 'broken2.ics'])
  expect(shown.unreadable[0]!.message).toMatch(/DTSTART/)
  expect(shown.statusText).toMatch(/2 events cannot be read and are ignored \(2 in "Work"\)/)

  await server.put(calendar, 'broken.ics', eventIcs({ uid: 'broken', start: stamp(2, 9), end: stamp(2, 10) }))
  await server.remove(calendar, 'broken2.ics')
  expect(await sync()).toBe('SUCCESS')
  const after = await look()
  expect(after.unreadable).toEqual([])
  expect(after.statusText).toBe('Connected and syncing.')
})
