// Seeds the freshness benchmark: `count` integrations (own user, own Apple ID), each with 3 conflict calendars that
// the engine has synced before (token stored, window current), all due now. Bulk inserts, 1,000 rows a statement.
import type { Services } from '../../src/app/services.ts'
import { newId } from '../../src/sync/ids.ts'
import { computeWindow } from '../../src/sync/window.ts'

const CHUNK = 1000
export const CALENDARS_PER_INTEGRATION = 3

async function insertJson(services: Services, table: string, rows: object[]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const json = JSON.stringify(rows.slice(i, i + CHUNK))
    await services.prisma.$executeRawUnsafe(
      `INSERT INTO "${table}" SELECT * FROM jsonb_populate_recordset(NULL::"${table}", $1::jsonb)`,
      json,
    )
  }
}

export async function seedFreshness(services: Services, serverUrl: string, count: number): Promise<void> {
  const now = new Date().toISOString()
  const window = computeWindow(services.config)
  const subaccountId = newId()
  await services.prisma.subaccount.create({ data: { id: subaccountId, name: 'Freshness bench' } })
  const users: object[] = []
  const integrations: object[] = []
  const calendars: object[] = []
  const conflicts: object[] = []
  for (let i = 0; i < count; i++) {
    const userId = newId()
    const integrationId = newId()
    const appleId = `bench-${i}@freshness.example`
    const encrypted = services.cipher.encrypt('app-specific-password', appleId)
    users.push({ id: userId, email: `user-${i}@freshness.example`, name: `User ${i}`, timeZone: 'UTC', createdAt: now })
    integrations.push({
      ...{ id: integrationId, userId, subaccountId, provider: 'ICLOUD', appleId, status: 'CONNECTED' },
      ...{ credentialCiphertext: encrypted.ciphertext, credentialKeyId: encrypted.keyId },
      ...{ principalUrl: `${serverUrl}u${i}/`, homeUrl: `${serverUrl}u${i}/calendars/`, nextSyncAt: now },
      ...{
        consecutiveFailures: 0,
        quietRuns: 0,
        windowStart: window.start.toISOString(),
        windowEnd: window.end.toISOString(),
        windowTimeZone: 'UTC',
      },
      ...{ createdAt: now, updatedAt: now, lastSyncedAt: now },
    })
    for (let c = 0; c < CALENDARS_PER_INTEGRATION; c++) {
      const calendarId = newId()
      const path = `/u${i}/calendars/cal${c}/`
      calendars.push({
        ...{ id: calendarId, integrationId, path, url: new URL(path, serverUrl).href, displayName: `Cal ${c}` },
        ...{ kind: 'EVENT_CALENDAR', components: ['VEVENT'], writable: true, shared: false, subscribed: false },
        ...{ syncToken: 'https://bench.invalid/sync/1', lastSyncedAt: now, lastCheckedAt: now, createdAt: now },
      })
      conflicts.push({ id: newId(), integrationId, calendarId, createdAt: now })
    }
  }
  await insertJson(services, 'User', users)
  await insertJson(services, 'Integration', integrations)
  await insertJson(services, 'Calendar', calendars)
  await insertJson(services, 'ConflictCalendar', conflicts)
  // Statistics as autovacuum keeps them on a live table: the claim's plan depends on them.
  await services.prisma.$executeRawUnsafe('ANALYZE')
}
