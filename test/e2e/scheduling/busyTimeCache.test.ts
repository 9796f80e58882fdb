// The availability busy-time cache is never stale: every way blocked slots can change in the database (the API,
// plain SQL, updates, cascades, TRUNCATE, another process) moves the member's version, and only that member is read
// again. Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL (there with a second process on the same schema).
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { getAvailability } from '../../../src/scheduling/availabilityService.ts'
import { BusyTimeCache } from '../../../src/scheduling/busyTimeCache.ts'
import { createStoredIntegration, createSubaccount, createUser } from '../../support/factories.ts'
import { dropSchema, startTestApp, testDatabaseUrl, type TestApp } from '../../support/testApp.ts'

const DAY = 86_400_000
// A Monday, 09:00–17:00 Berlin (UTC+1 in January): slots 08:00Z … 15:30Z.
const MONDAY = Date.UTC(2031, 0, 6)
const at = (hour: number, minute = 0) => new Date(MONDAY + hour * 3_600_000 + minute * 60_000)
const range = { from: new Date(MONDAY), to: new Date(MONDAY + DAY) }
const NOW = MONDAY - 7 * DAY

let t: TestApp
const schema = testDatabaseUrl ? `cache_${randomBytes(6).toString('hex')}` : undefined

beforeAll(async () => {
  t = await startTestApp({}, { databaseSchema: schema })
})
afterAll(async () => {
  await t?.close()
  if (schema && testDatabaseUrl) await dropSchema(testDatabaseUrl, schema)
})

async function roundRobinWith(memberCount: number) {
  const { prisma } = t.services
  const subaccount = await createSubaccount(t.services)
  const calendar = await prisma.crmCalendar.create({
    data: {
      subaccountId: subaccount.id,
      name: 'Cache',
      type: 'ROUND_ROBIN',
      timeZone: 'Europe/Berlin',
      slotDurationMinutes: 30,
    },
  })
  const users = []
  for (let i = 0; i < memberCount; i++) {
    const user = await createUser(t.services, subaccount.id)
    await prisma.crmCalendarMember.create({
      data: {
        calendarId: calendar.id,
        userId: user.id,
        timeZone: 'Europe/Berlin',
        workingHours: { create: [{ weekday: 1, startMinute: 540, endMinute: 1020 }] },
      },
    })
    users.push(user)
  }
  return { subaccountId: subaccount.id, calendarId: calendar.id, users }
}

async function freeMembersAt(services: TestApp['services'], calendarId: string, start: Date): Promise<string[]> {
  const availability = await getAvailability(services, calendarId, range, 'Europe/Berlin', { now: NOW })
  return [...(availability.slots.find((s) => s.start.getTime() === start.getTime())?.freeMemberIds ?? [])].sort()
}

describe('busy-time cache', () => {
  it('re-reads only the member whose blocked slots changed, and never serves a stale answer', async () => {
    const { prisma } = t.services
    const { subaccountId, calendarId, users } = await roundRobinWith(3)
    const [a, b, c] = users.map((u) => u.id) as [string, string, string]
    const all = [a, b, c].sort()
    await prisma.blockedSlot.create({
      data: { userId: b, subaccountId, start: at(9), end: at(10), source: 'CRM', availability: 'BUSY' },
    })
    const store = vi.spyOn(t.services.busyTimeCache, 'store')

    expect(await freeMembersAt(t.services, calendarId, at(9))).toEqual([a, c].sort())
    expect(store.mock.calls.map((call) => call[0]).sort()).toEqual(all) // first load: everyone read

    store.mockClear()
    expect(await freeMembersAt(t.services, calendarId, at(9))).toEqual([a, c].sort())
    expect(store).not.toHaveBeenCalled() // nothing changed: nothing read

    // Plain SQL, as another tool would: the trigger moves A's version in the same statement.
    await prisma.$executeRaw`
      INSERT INTO "BlockedSlot" ("id", "userId", "subaccountId", "start", "end", "source", "availability")
      VALUES (${'raw-' + randomBytes(4).toString('hex')}, ${a}, ${subaccountId}, ${at(9)}, ${at(9, 30)}, 'CRM', 'BUSY')`
    store.mockClear()
    expect(await freeMembersAt(t.services, calendarId, at(9))).toEqual([c])
    expect(store.mock.calls.map((call) => call[0])).toEqual([a])

    // An update that moves B's slot away, then one that only marks it FREE.
    await prisma.blockedSlot.updateMany({ where: { userId: b }, data: { start: at(12), end: at(13) } })
    expect(await freeMembersAt(t.services, calendarId, at(9))).toEqual([b, c].sort())
    expect(await freeMembersAt(t.services, calendarId, at(12))).toEqual([a, c].sort())
    await prisma.blockedSlot.updateMany({ where: { userId: b }, data: { availability: 'FREE' } })
    expect(await freeMembersAt(t.services, calendarId, at(12))).toEqual(all)

    // A delete.
    await prisma.blockedSlot.deleteMany({ where: { userId: a } })
    expect(await freeMembersAt(t.services, calendarId, at(9))).toEqual(all)
  })

  it('sees rows removed by a cascade and by TRUNCATE', async () => {
    const { prisma } = t.services
    const { subaccountId, calendarId, users } = await roundRobinWith(2)
    const [a, b] = users.map((u) => u.id) as [string, string]
    const owner = { userId: a, subaccountId }
    const { calendar: remote } = await createStoredIntegration(t.services, owner, { lastSyncedAt: new Date() })
    await prisma.blockedSlot.create({
      data: { userId: a, subaccountId, calendarId: remote.id, start: at(10), end: at(11), source: 'ICLOUD' },
    })
    await prisma.blockedSlot.create({
      data: { userId: b, subaccountId, start: at(10), end: at(11), source: 'CRM' },
    })
    expect(await freeMembersAt(t.services, calendarId, at(10))).toEqual([])

    await prisma.calendar.delete({ where: { id: remote.id } }) // the slot goes by ON DELETE CASCADE
    expect(await freeMembersAt(t.services, calendarId, at(10))).toEqual([a])

    if (!testDatabaseUrl) {
      // TRUNCATE has no row list: every version moves. (PGlite only: on PostgreSQL other test files share the table.)
      await prisma.$executeRawUnsafe('TRUNCATE "BlockedSlot"')
      expect(await freeMembersAt(t.services, calendarId, at(10))).toEqual([a, b].sort())
    }
  })

  it('caches a horizon of busy time and reads a member again for a range beyond it', async () => {
    const { prisma } = t.services
    const { subaccountId, calendarId, users } = await roundRobinWith(1)
    const [a] = users.map((u) => u.id) as [string]
    const later = 28 * DAY // four Mondays on: past the 10-day horizon below
    for (const offset of [0, later]) {
      await prisma.blockedSlot.create({
        data: {
          userId: a,
          subaccountId,
          start: new Date(at(9).getTime() + offset),
          end: new Date(at(10).getTime() + offset),
          source: 'CRM',
        },
      })
    }
    const services = { ...t.services, busyTimeCache: new BusyTimeCache(1_000, 10 * DAY) }
    const store = vi.spyOn(services.busyTimeCache, 'store')
    const freeAt = async (start: Date, offset: number) => {
      const shifted = { from: new Date(range.from.getTime() + offset), to: new Date(range.to.getTime() + offset) }
      const availability = await getAvailability(services, calendarId, shifted, 'Europe/Berlin', { now: NOW })
      const at = start.getTime() + offset
      return availability.slots.find((s) => s.start.getTime() === at)?.freeMemberIds ?? []
    }

    expect(await freeAt(at(9), 0)).toEqual([])
    expect(await freeAt(at(10), 0)).toEqual([a])
    expect(store).toHaveBeenCalledTimes(1) // read once, up to the horizon
    expect(store.mock.calls[0]![3]).toEqual({ start: NOW - DAY, end: NOW + 10 * DAY })

    expect(await freeAt(at(9), later)).toEqual([]) // beyond the horizon: read again, and still busy
    expect(await freeAt(at(10), later)).toEqual([a])
    expect(store).toHaveBeenCalledTimes(2)
  })

  it('keeps to its memory budget, least recently used out first', () => {
    const cache = new BusyTimeCache(5)
    const busy = (n: number) => Array.from({ length: n }, (_, i) => ({ start: i * 10, end: i * 10 + 5 }))
    cache.store('u1', 1, busy(2))
    cache.store('u2', 1, busy(2))
    cache.lookup(['u1']) // u1 is now the most recently used
    cache.store('u3', 1, busy(2)) // 6 > 5: u2 goes
    expect([...cache.lookup(['u1', 'u2', 'u3']).keys()]).toEqual(['u1', 'u3'])
    expect(cache.cachedIntervals).toBe(4)
    const tooLarge = cache.store('u4', 1, busy(6)) // larger than the budget: served, not kept
    expect(tooLarge.between(0, 1_000)).toHaveLength(6)
    expect(cache.lookup(['u4']).size).toBe(0)
    cache.store('u1', 2, busy(1)) // a new version replaces the old one
    expect(cache.lookup(['u1']).get('u1')?.version).toBe(2)
    expect(cache.cachedIntervals).toBe(3)
  })

  it('slices the intervals overlapping a range from merged busy time', () => {
    const cache = new BusyTimeCache(100)
    const entry = cache.store('u', 7, [
      { start: 50, end: 60 },
      { start: 0, end: 10 },
      { start: 10, end: 20 }, // touches the first: merged
      { start: 30, end: 40 },
    ])
    expect(entry.between(15, 35)).toEqual([
      { start: 0, end: 20 },
      { start: 30, end: 40 },
    ])
    expect(entry.between(20, 30)).toEqual([]) // touching edges do not overlap
    expect(entry.between(55, 1_000)).toEqual([{ start: 50, end: 60 }])
  })
})

// PGlite lives inside one process, so two instances can share a database only on PostgreSQL (the CI's second pass).
describe.runIf(testDatabaseUrl)('busy-time cache across processes (PostgreSQL)', () => {
  it('sees a change written by another instance at once, with no message between them', async () => {
    const other = await startTestApp({}, { databaseSchema: schema })
    try {
      const { subaccountId, calendarId, users } = await roundRobinWith(1)
      const [a] = users.map((u) => u.id) as [string]
      expect(await freeMembersAt(t.services, calendarId, at(14))).toEqual([a]) // cached here
      await other.services.prisma.blockedSlot.create({
        data: { userId: a, subaccountId, start: at(14), end: at(15), source: 'CRM' },
      })
      expect(await freeMembersAt(t.services, calendarId, at(14))).toEqual([])
    } finally {
      await other.close()
    }
  })
})
