// iCloud moves accounts between partition hosts (ICLOUD.md "homes that move"): the old host answers 404 or 301 for
// the whole home. The engine finds the home again (principal → calendar-home-set), re-maps the calendars by path,
// keeps their tokens and goes on; when discovery fails, the status says what to do.
import { beforeAll, describe, expect, it } from 'vitest'
import { syncIntegration } from '../../../src/sync/index.ts'
import { createTeam, createUser } from '../../support/factories.ts'
import { createIntegrationFixture, eventIcs, stamp, type SyncServer } from '../../support/integrationFixtures.ts'
import { addICloudLogin, useSyncApp } from '../../support/syncScenario.ts'
import type { TestApp } from '../../support/testApp.ts'

let server: SyncServer
let t: TestApp
let subaccountId: string
let accounts = 0

useSyncApp({}, (app) => ({ server, t } = app))
beforeAll(async () => {
  subaccountId = (await createTeam(t.services)).user.subaccountId
})

/** A fresh account with two calendars, each with one event, synced once on the first partition host. */
async function syncedAccount() {
  const n = ++accounts
  const appleId = `moving-${n}@icloud.com`
  const password = `aaaa-bbbb-cccc-${String(n).padStart(4, '0')}`
  const { login, account } = await addICloudLogin(server, appleId, password)
  const work = await account.addCalendar('work')
  const home = await account.addCalendar('home')
  await account.putEvent('work', 'w.ics', eventIcs({ uid: `w${n}`, start: stamp(1, 9), end: stamp(1, 10) }))
  await account.putEvent('home', 'h.ics', eventIcs({ uid: `h${n}`, start: stamp(2, 9), end: stamp(2, 10) }))
  const user = await createUser(t.services, subaccountId)
  const fx = await createIntegrationFixture(t.services, user, login, { conflicts: [work, home] })
  const sync = async () => {
    const result = await syncIntegration(t.services, fx.integrationId, 'MANUAL')
    if (!result) throw new Error('sync did not start')
    return result
  }
  expect((await sync()).outcome).toBe('SUCCESS')
  const calendars = () =>
    t.services.prisma.calendar.findMany({ where: { integrationId: fx.integrationId }, orderBy: { path: 'asc' } })
  const integration = () => t.services.prisma.integration.findUniqueOrThrow({ where: { id: fx.integrationId } })
  const slotTitles = async () =>
    (await t.services.prisma.blockedSlot.findMany({ where: { userId: user.id } })).map((s) => s.title).sort()
  return { account, fx, sync, calendars, integration, slotTitles, tokensBefore: await calendarsTokens() }

  async function calendarsTokens() {
    return (await t.services.prisma.calendar.findMany({ where: { integrationId: fx.integrationId } }))
      .filter((c) => c.syncToken)
      .map((c) => [c.path, c.syncToken])
  }
}

describe('the calendar home moves to another partition host', () => {
  it.each([404, 301] as const)(
    'old host answers %i: rediscovers, re-maps by path, keeps tokens, syncs the change',
    async (answer) => {
      const a = await syncedAccount()
      const before = await a.calendars()
      a.account.moveToSecondPartition(answer)
      await a.account.putEvent(
        'work',
        'new.ics',
        eventIcs({ uid: `new-${answer}`, start: stamp(3, 9), end: stamp(3, 10), summary: 'New' }),
      )

      const result = await a.sync()
      expect(result.outcome).toBe('SUCCESS')
      // Only the new event was fetched: the stored tokens were accepted under the new home.
      expect(result.counters.objectsFetched).toBe(1)
      expect(await a.slotTitles()).toContain('New')
      const integration = await a.integration()
      expect(integration.homeUrl).toBe(`${server.icloud!.secondPartitionUrl}${a.account.dsid}/calendars/`)
      expect(integration.status).toBe('CONNECTED')
      expect(integration.lastError).toBeNull()
      const after = await a.calendars()
      expect(after.map((c) => c.path)).toEqual(before.map((c) => c.path))
      for (const c of after) {
        expect(c.url.startsWith(server.icloud!.secondPartitionUrl)).toBe(true)
        expect(c.lastError).toBeNull()
      }

      // The next run goes straight to the new host: one request per calendar, none to the old one.
      server.icloud!.clearRequests()
      const next = await a.sync()
      expect(next.outcome).toBe('SUCCESS')
      expect(next.requestCount).toBe(2)
      expect(server.icloud!.requests.every((r) => r.host === 'partition2')).toBe(true)
    },
  )

  it('says in plain words what to do when the home cannot be found again', async () => {
    const a = await syncedAccount()
    a.account.moveToSecondPartition(404)
    server.icloud!.quirks.omitCalendarHomeSet = true
    const result = await a.sync()
    expect(result.outcome).toBe('FAILED')
    const integration = await a.integration()
    expect(integration.status).toBe('ERROR')
    expect(integration.lastError).toMatch(/moved/i)
    expect(integration.lastError).toMatch(/Refresh calendars|reconnect/i)
    expect(integration.lastError).not.toMatch(/404|REPORT|http/)
    // Nothing was lost meanwhile: the last known events still block.
    expect(await a.slotTitles()).toHaveLength(2)
  })
})
