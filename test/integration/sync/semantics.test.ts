// What the engine stores for real-world shaped calendar data: exact BlockedSlot rows after a sync through the
// iCloud-faithful server (VTIMEZONE served after the VEVENTs, as iCloud sometimes does), and the window move that
// re-expands stored objects without a single CalDAV request.
import { readFileSync } from 'node:fs'
import { DateTime } from 'luxon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncIntegration } from '../../../src/sync/index.ts'
import { computeWindow } from '../../../src/sync/window.ts'
import { reexpandIntegration } from '../../../src/sync/windowMaintenance.ts'
import { createSubaccount, createUser } from '../../support/factories.ts'
import {
  createIntegrationFixture,
  startICloudSyncServer,
  type IntegrationFixture,
  type SyncServer,
} from '../../support/integrationFixtures.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'

const DAY_MS = 86_400_000
const OWNER = 'jana.owner@icloud.com'
// The fixtures are dated 2025: the window starts on 1 March 2025 whatever today is, and ends two days from now.
const WINDOW_START = Date.UTC(2025, 2, 1)
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/ical/${name}`, import.meta.url), 'utf8')

/** An export holding many UIDs split the way a CalDAV server stores it: one resource per VEVENT (VTODO/VJOURNAL dropped). */
function splitEvents(ics: string): { file: string; ics: string }[] {
  const lines = ics.split('\r\n')
  const header = lines.slice(
    0,
    lines.findIndex((l) => l.startsWith('BEGIN:V') && l !== 'BEGIN:VCALENDAR'),
  )
  const out: { file: string; ics: string }[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== 'BEGIN:VEVENT') continue
    const end = lines.indexOf('END:VEVENT', i)
    const event = lines.slice(i, end + 1)
    const uid = event.find((l) => l.startsWith('UID:'))!.slice(4)
    out.push({ file: `${uid.split('@')[0]}.ics`, ics: [...header, ...event, 'END:VCALENDAR', ''].join('\r\n') })
  }
  return out
}

type Row = [file: string, start: string, end: string, allDay: boolean, availability: string]

describe('sync semantics of real-world calendar data', () => {
  let server: SyncServer
  let t: TestApp
  let fx: IntegrationFixture
  let calendarUrl: string
  let owner: { userId: string; subaccountId: string }

  const rows = async (where: { before?: Date } = {}): Promise<Row[]> => {
    const slots = await t.services.prisma.blockedSlot.findMany({
      where: { calendarId: fx.calendarIds.get(calendarUrl)!, ...(where.before ? { start: { lt: where.before } } : {}) },
      include: { object: { select: { href: true } } },
      orderBy: [{ start: 'asc' }, { end: 'asc' }],
    })
    for (const s of slots) expect(s).toMatchObject({ userId: owner.userId, source: 'ICLOUD' })
    return slots.map((s) => [
      s.object!.href.split('/').pop()!,
      s.start.toISOString(),
      s.end.toISOString(),
      s.allDay,
      s.availability,
    ])
  }

  beforeAll(async () => {
    server = await startICloudSyncServer()
    server.icloud!.quirks.vtimezoneAfterVevent = true
    t = await startTestApp({
      ICLOUD_CALDAV_URL: server.serverUrl,
      SYNC_WINDOW_PAST_DAYS: String((today - WINDOW_START) / DAY_MS),
      SYNC_WINDOW_FUTURE_DAYS: '1',
    })
    const subaccount = await createSubaccount(t.services)
    const user = await createUser(t.services, subaccount.id, { email: OWNER, timeZone: 'Europe/Berlin' })
    owner = { userId: user.id, subaccountId: user.subaccountId }
    calendarUrl = await server.makeCalendar('home', 'Home')
    for (const name of [
      'icloud-weekly-jour-fixe.ics',
      'icloud-travel-time.ics',
      'icloud-declined-invitation.ics',
      'icloud-cancelled.ics',
      'icloud-all-day-vacation.ics',
      'google-all-day-free.ics',
      'outlook-all-day-oof.ics',
    ]) {
      await server.put(calendarUrl, name, fixture(name))
    }
    const exported = splitEvents(fixture('export-floating-iana-tasks.ics'))
    expect(exported.map((e) => e.file)).toEqual([
      'floating-1.ics',
      'iana-no-vtimezone-1.ics',
      'duration-1.ics',
      'no-end-timed-1.ics',
      'no-end-all-day-1.ics',
    ])
    for (const e of exported) await server.put(calendarUrl, e.file, e.ics)
    fx = await createIntegrationFixture(t.services, user, server, { conflicts: [calendarUrl] })
  })
  afterAll(async () => {
    await t?.close()
    await server?.stop()
  })

  it('stores exactly the blocked slots the events mean', async () => {
    const result = await syncIntegration(t.services, fx.integrationId, 'MANUAL')
    expect(result).toMatchObject({ outcome: 'SUCCESS', counters: { objectsFetched: 12, parseErrors: 0 } })
    // The server did serve VTIMEZONE after VEVENT (the quirk is on the path the engine used).
    const stored = await t.services.prisma.calendarObject.findFirstOrThrow({
      where: { href: { endsWith: '/icloud-travel-time.ics' } },
    })
    expect(stored.data.indexOf('BEGIN:VTIMEZONE')).toBeGreaterThan(stored.data.indexOf('END:VEVENT'))

    expect(await rows({ before: new Date('2025-04-15T00:00:00Z') })).toEqual([
      // Google weekly all-day COUNT=3, TRANSPARENT: free, midnight to midnight in the user's zone (CET).
      ['google-all-day-free.ics', '2025-03-02T23:00:00.000Z', '2025-03-03T23:00:00.000Z', true, 'FREE'],
      // Jour fixe Mondays 09:00 Europe/Berlin.
      ['icloud-weekly-jour-fixe.ics', '2025-03-03T08:00:00.000Z', '2025-03-03T09:00:00.000Z', false, 'BUSY'],
      ['google-all-day-free.ics', '2025-03-09T23:00:00.000Z', '2025-03-10T23:00:00.000Z', true, 'FREE'],
      ['icloud-weekly-jour-fixe.ics', '2025-03-10T08:00:00.000Z', '2025-03-10T09:00:00.000Z', false, 'BUSY'],
      ['google-all-day-free.ics', '2025-03-16T23:00:00.000Z', '2025-03-17T23:00:00.000Z', true, 'FREE'],
      // 17 March: EXDATE. 24 March: moved to Tuesday 25 March 14:00 CET.
      ['icloud-weekly-jour-fixe.ics', '2025-03-25T13:00:00.000Z', '2025-03-25T14:00:00.000Z', false, 'BUSY'],
      // Outlook all-day OPAQUE: busy.
      ['outlook-all-day-oof.ics', '2025-03-26T23:00:00.000Z', '2025-03-27T23:00:00.000Z', true, 'BUSY'],
      // From 30 March summer time: 09:00 CEST is 07:00Z. 7 April is a CANCELLED override: no slot.
      ['icloud-weekly-jour-fixe.ics', '2025-03-31T07:00:00.000Z', '2025-03-31T08:00:00.000Z', false, 'BUSY'],
      ['icloud-weekly-jour-fixe.ics', '2025-04-14T07:00:00.000Z', '2025-04-14T08:00:00.000Z', false, 'BUSY'],
    ])

    const others = (await rows()).filter(([file]) => file !== 'icloud-weekly-jour-fixe.ics')
    expect(others).toEqual([
      ['google-all-day-free.ics', '2025-03-02T23:00:00.000Z', '2025-03-03T23:00:00.000Z', true, 'FREE'],
      ['google-all-day-free.ics', '2025-03-09T23:00:00.000Z', '2025-03-10T23:00:00.000Z', true, 'FREE'],
      ['google-all-day-free.ics', '2025-03-16T23:00:00.000Z', '2025-03-17T23:00:00.000Z', true, 'FREE'],
      ['outlook-all-day-oof.ics', '2025-03-26T23:00:00.000Z', '2025-03-27T23:00:00.000Z', true, 'BUSY'],
      // Declined by the owner (20 May) and the cancelled "Lunch & Learn" (21 May) block nothing.
      // Floating 09:00 in the user's zone (CEST); the New York call in its own zone.
      ['floating-1.ics', '2025-06-10T07:00:00.000Z', '2025-06-10T08:00:00.000Z', false, 'BUSY'],
      ['iana-no-vtimezone-1.ics', '2025-06-10T13:00:00.000Z', '2025-06-10T13:30:00.000Z', false, 'BUSY'],
      // DURATION:PT45M; a timed event without end lasts 0; an all-day one without DTEND one day (VTODO/VJOURNAL: none).
      ['duration-1.ics', '2025-06-11T07:00:00.000Z', '2025-06-11T07:45:00.000Z', false, 'BUSY'],
      ['no-end-timed-1.ics', '2025-06-11T12:00:00.000Z', '2025-06-11T12:00:00.000Z', false, 'BUSY'],
      ['no-end-all-day-1.ics', '2025-06-11T22:00:00.000Z', '2025-06-12T22:00:00.000Z', true, 'BUSY'],
      // 14:00–15:30 CEST with 30 minutes of X-APPLE-TRAVEL-DURATION before it: busy from 13:30 CEST.
      ['icloud-travel-time.ics', '2025-06-12T11:30:00.000Z', '2025-06-12T13:30:00.000Z', false, 'BUSY'],
      // Multi-day TRANSPARENT vacation 14–18 July (DTEND exclusive): free.
      ['icloud-all-day-vacation.ics', '2025-07-13T22:00:00.000Z', '2025-07-18T22:00:00.000Z', true, 'FREE'],
    ])
    expect(
      await t.services.prisma.calendarObject.count({ where: { calendarId: fx.calendarIds.get(calendarUrl)! } }),
    ).toBe(12)
  })

  it('moves the window by re-expanding stored objects, without any CalDAV request', async () => {
    const calendarId = fx.calendarIds.get(calendarUrl)!
    const before = computeWindow(t.services.config)
    const integration = await t.services.prisma.integration.findUniqueOrThrow({ where: { id: fx.integrationId } })
    expect(integration.windowEnd).toEqual(before.end)
    const jourFixe = async () => (await rows()).filter(([file]) => file === 'icloud-weekly-jour-fixe.ics')
    const old = await jourFixe()
    expect(old.at(-1)![1] < before.end.toISOString()).toBe(true)

    const requestsBefore = server.icloud!.requests.length
    const later = new Date(Date.now() + 21 * DAY_MS)
    const moved = computeWindow(t.services.config, later)
    const result = await reexpandIntegration(
      t.services.prisma,
      fx.integrationId,
      [{ id: calendarId, blocking: true }],
      owner,
      { windowStart: moved.start, windowEnd: moved.end, defaultTimeZone: 'Europe/Berlin', ownerEmails: [OWNER] },
      moved,
      { transactionTimeoutMs: 60_000 },
    )
    expect(server.icloud!.requests.length).toBe(requestsBefore)
    expect(result).toMatchObject({ objects: 12, slotsChanged: true })

    // Every Monday 09:00 Berlin between the old and the new window end is a new occurrence.
    const expected: string[] = []
    for (let d = DateTime.fromJSDate(before.end, { zone: 'Europe/Berlin' }).startOf('day'); ; d = d.plus({ days: 1 })) {
      const start = d.set({ hour: 9 }).toUTC()
      if (start.toMillis() >= moved.end.getTime()) break
      if (d.weekday === 1 && start.toMillis() >= before.end.getTime())
        expected.push(start.toISO({ suppressMilliseconds: false })!)
    }
    expect(expected).toHaveLength(3)
    const now = await jourFixe()
    const added = now.filter(([, start]) => start >= before.end.toISOString()).map(([, start]) => start)
    expect(added).toEqual(expected.map((s) => new Date(s).toISOString()))
    // Occurrences that left the window (before 22 March 2025) are gone; the rest are unchanged.
    expect(now.filter(([, start]) => start < moved.start.toISOString())).toEqual([])
    expect(now.filter(([, start]) => start < before.end.toISOString())).toEqual(
      old.filter(([, start]) => start >= moved.start.toISOString()),
    )
    expect(moved.start.toISOString()).toBe('2025-03-22T00:00:00.000Z')
    const row = await t.services.prisma.integration.findUniqueOrThrow({ where: { id: fx.integrationId } })
    expect([row.windowStart, row.windowEnd]).toEqual([moved.start, moved.end])
  })
})
