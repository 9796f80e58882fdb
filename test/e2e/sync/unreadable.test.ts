// An event the sync cannot read blocks nothing, so it is shown where the user looks: on its calendar
// (Calendar.unreadableEvents) and in Integration.statusText, on every later run too, until it changes or goes.
// Xandikos stores unreadable iCalendar (Radicale and the iCloud test server refuse it on PUT).
import { encodeGlobalID } from '@pothos/plugin-relay'
import { expect, it } from 'vitest'
import { graphql } from '../../graphql/index.ts'
import { eventIcs, stamp, startXandikosServer } from '../../support/integrationFixtures.ts'
import { useSyncScenario, type SyncScenario } from '../../support/syncScenario.ts'

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

let s: SyncScenario
useSyncScenario(
  {
    server: startXandikosServer,
    calendars: {
      Work: {
        'fine.ics': eventIcs({ uid: 'fine', start: stamp(1, 9), end: stamp(1, 10) }),
        'broken.ics': broken('broken'),
        'broken2.ics': broken('broken2'),
      },
    },
  },
  (started) => (s = started),
)

const sync = async () => (await s.sync()).outcome
const look = async () => {
  const id = encodeGlobalID('Integration', s.fx.integrationId)
  const data = await s.t.client(s.user.token).data(UnreadableQuery, { id })
  const work = data.integration!.calendars.find((c) => c.displayName === 'Work')!
  return { statusText: data.integration!.statusText, unreadable: work.unreadableEvents }
}

it('lists unreadable events on their calendar and in the status text, on later runs too, until they change or go', async () => {
  expect(await sync()).toBe('PARTIAL')
  // The next run fetches nothing (the ETags did not change) and succeeds: the events are still ignored and shown.
  expect(await sync()).toBe('SUCCESS')
  const shown = await look()
  expect(shown.unreadable.map((u) => u.href.split('/').pop())).toEqual(['broken.ics', 'broken2.ics'])
  expect(shown.unreadable[0]!.message).toMatch(/DTSTART/)
  expect(shown.statusText).toMatch(/2 events cannot be read and are ignored \(2 in "Work"\)/)

  await s.server.put(s.calendar, 'broken.ics', eventIcs({ uid: 'broken', start: stamp(2, 9), end: stamp(2, 10) }))
  await s.server.remove(s.calendar, 'broken2.ics')
  expect(await sync()).toBe('SUCCESS')
  const after = await look()
  expect(after.unreadable).toEqual([])
  expect(after.statusText).toBe('Connected and syncing.')
})
