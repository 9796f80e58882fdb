// loadAvailabilityInput makes a fixed number of SQL queries whatever the number of members (no N+1).
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest'
import { openAdapter } from '../../../src/db/database.ts'
import { applyMigrations } from '../../../src/db/migrations.ts'
import { PrismaClient } from '../../../src/generated/prisma/client.ts'
import { BusyTimeCache } from '../../../src/scheduling/busyTimeCache.ts'
import { loadAvailabilityInput } from '../../../src/scheduling/loadAvailabilityInput.ts'
import { dropSchema, testDatabaseUrl } from '../../support/testApp.ts'

let prisma: PrismaClient
let close: () => Promise<void>
let statements = 0
const schema = testDatabaseUrl ? `qc_${randomBytes(6).toString('hex')}` : undefined

/** Counts every SQL statement sent through the driver adapter (transactions included). */
function counting(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver) as unknown
        if (typeof value !== 'function') return value
        if (key === 'queryRaw' || key === 'executeRaw') {
          return (...args: unknown[]) => {
            statements++
            return (value as (...a: unknown[]) => unknown).apply(obj, args)
          }
        }
        if (key === 'startTransaction') {
          return async (...args: unknown[]) =>
            wrap(await (value as (...a: unknown[]) => Promise<object>).apply(obj, args))
        }
        return (value as (...a: unknown[]) => unknown).bind(obj)
      },
    })
  return new Proxy(factory, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver) as unknown
      if (key === 'connect') return async () => wrap(await factory.connect())
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value
    },
  })
}

beforeAll(async () => {
  const target = testDatabaseUrl
    ? { databaseUrl: testDatabaseUrl, dataDir: 'memory://', schema }
    : {
        databaseUrl: null,
        dataDir: 'memory://',
        pgliteTemplate: new Blob([await readFile(inject('pgliteTemplatePath'))]),
      }
  const adapter = await openAdapter(target)
  if (testDatabaseUrl) await applyMigrations(adapter.factory)
  prisma = new PrismaClient({ adapter: counting(adapter.factory) })
  close = async () => {
    await prisma.$disconnect()
    await adapter.close()
    if (schema && testDatabaseUrl) await dropSchema(testDatabaseUrl, schema)
  }
})
afterAll(async () => {
  await close?.()
})

async function calendarWith(memberCount: number, type: 'ROUND_ROBIN' | 'CLASS_BOOKING') {
  const subaccount = await prisma.subaccount.create({ data: { name: 'QC', timeZone: 'Europe/Berlin' } })
  const calendar = await prisma.crmCalendar.create({
    data: {
      subaccountId: subaccount.id,
      name: 'QC',
      type,
      timeZone: 'Europe/Berlin',
      seatsPerSlot: type === 'CLASS_BOOKING' ? 5 : null,
    },
  })
  for (let i = 0; i < memberCount; i++) {
    const user = await prisma.user.create({
      data: { email: `qc-${randomBytes(5).toString('hex')}@example.com`, name: `QC ${i}` },
    })
    await prisma.crmCalendarMember.create({
      data: {
        calendarId: calendar.id,
        userId: user.id,
        timeZone: 'Europe/Berlin',
        workingHours: { create: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })) },
        dateOverrides: { create: { date: '2031-01-07', startMinute: null, endMinute: null } },
      },
    })
    await prisma.blockedSlot.create({
      data: {
        userId: user.id,
        subaccountId: subaccount.id,
        start: new Date(Date.UTC(2031, 0, 6, 10)),
        end: new Date(Date.UTC(2031, 0, 6, 11)),
        source: 'CRM',
      },
    })
  }
  return calendar.id
}

const busyCache = new BusyTimeCache(1_000_000)

async function statementsFor(calendarId: string): Promise<number> {
  const before = statements
  const input = await loadAvailabilityInput(
    prisma,
    calendarId,
    { start: Date.UTC(2031, 0, 5), end: Date.UTC(2031, 1, 4) },
    { now: Date.UTC(2030, 11, 30), staleAfterMs: 600_000, busyCache },
  )
  expect(input).not.toBeNull()
  return statements - before
}

describe('loadAvailabilityInput', () => {
  it('runs the same small number of queries for 1 and 12 members', async () => {
    const one = await statementsFor(await calendarWith(1, 'ROUND_ROBIN'))
    const twelveMembers = await calendarWith(12, 'ROUND_ROBIN')
    const twelve = await statementsFor(twelveMembers)
    expect(one).toBeGreaterThan(0)
    expect(twelve).toBe(one)
    expect(twelve).toBe(1)
    expect(await statementsFor(twelveMembers)).toBe(1) // and with the members' busy time cached
    const classOne = await statementsFor(await calendarWith(1, 'CLASS_BOOKING'))
    const classTwelve = await statementsFor(await calendarWith(12, 'CLASS_BOOKING'))
    expect(classTwelve).toBe(classOne)
    expect(classTwelve).toBe(1)
  })
})
