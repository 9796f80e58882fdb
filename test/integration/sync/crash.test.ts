// kill -9 in the middle of a large initial sync loses nothing and duplicates nothing on the next run.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createServices } from '../../../src/app/app.ts'
import type { Services } from '../../../src/app/services.ts'
import { CalDavClient } from '../../../src/caldav/index.ts'
import { loadConfig } from '../../../src/config.ts'
import { generateEncryptionKey } from '../../../src/security/secrets.ts'
import { syncIntegration } from '../../../src/sync/index.ts'
import { benchEvent } from '../../../bench/support/syncBenchSetup.ts'
import { createSubaccount, createUser } from '../../support/factories.ts'
import {
  createIntegrationFixture,
  seedRadicaleEvents,
  startRadicaleServer,
  type SyncServer,
} from '../../support/integrationFixtures.ts'

// A process killed with SIGKILL needs a database that survives it: PostgreSQL (PGlite in memory cannot).
const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const EVENTS = 800
const here = path.dirname(fileURLToPath(import.meta.url))

let server: SyncServer
let calendarUrl: string
let dataDir: string
const schemas: string[] = []
const closers: (() => Promise<void>)[] = []
const env = {
  AUTH_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: generateEncryptionKey('crash'),
}

async function open(schema: string): Promise<Services> {
  schemas.push(schema)
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ...env,
    ICLOUD_CALDAV_URL: server.serverUrl,
    LOG_LEVEL: 'silent',
  })
  const { services, database, closePubSub } = await createServices(config, { databaseSchema: schema })
  closers.push(async () => {
    await closePubSub()
    await database.close()
  })
  return services
}

async function fixture(services: Services) {
  const subaccount = await createSubaccount(services)
  const user = await createUser(services, subaccount.id, { email: 'crash@example.com' })
  return createIntegrationFixture(services, user, server, { conflicts: [calendarUrl] })
}

async function snapshot(services: Services) {
  const objects = await services.prisma.calendarObject.findMany({ select: { href: true, etag: true, data: true } })
  const slots = await services.prisma.blockedSlot.findMany({
    select: {
      recurrenceId: true,
      start: true,
      end: true,
      availability: true,
      title: true,
      object: { select: { href: true } },
    },
  })
  return {
    objects: objects.map((o) => `${o.href} ${o.etag} ${o.data.length}`).sort(),
    slots: slots
      .map(
        (s) =>
          `${s.object?.href} ${s.recurrenceId} ${s.start.toISOString()} ${s.end.toISOString()} ${s.availability} ${s.title}`,
      )
      .sort(),
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sync-crash-'))
  server = await startRadicaleServer()
  calendarUrl = await server.makeCalendar('big')
  await seedRadicaleEvents(server, calendarUrl, EVENTS, (i) => benchEvent(i))
  // Warm Radicale's item cache (its first listing parses every file), so the child's timing is the engine's.
  const warm = new CalDavClient({
    serverUrl: server.serverUrl,
    credentials: { username: server.username, password: server.password },
    timeoutMs: 600_000,
  })
  await warm.syncCollection(calendarUrl, null)
}, 600_000)
afterAll(async () => {
  for (const close of closers) await close()
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
  await server?.stop()
  await rm(dataDir, { recursive: true, force: true })
})

it('a sync killed with SIGKILL midway is completed by the next run, with exactly the rows of a clean sync', async () => {
  const crashed = await open(`crash_${randomBytes(5).toString('hex')}`)
  const fx = await fixture(crashed)
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'support', 'crashChild.ts')], {
    env: {
      ...process.env,
      CRASH_DATA_DIR: dataDir,
      CRASH_DATABASE_URL: databaseUrl,
      CRASH_AUTH_SECRET: env.AUTH_SECRET,
      CRASH_ENCRYPTION_KEYS: env.ENCRYPTION_KEYS,
      CRASH_CALDAV_URL: server.serverUrl,
      CRASH_SCHEMA: schemas[0]!,
      CRASH_INTEGRATION_ID: fx.integrationId,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))

  // Kill once some batches are committed and the run is not over.
  const deadline = Date.now() + 120_000
  let fetched = 0
  while (Date.now() < deadline) {
    const run = await crashed.prisma.syncRun.findFirst({ where: { integrationId: fx.integrationId } })
    fetched = run?.objectsFetched ?? 0
    if (fetched >= 100 || output.includes('finished')) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  child.kill('SIGKILL')
  expect(await exited).toBe('SIGKILL')
  expect(output).not.toContain('finished')
  expect(fetched).toBeGreaterThan(0)
  expect(fetched).toBeLessThan(EVENTS)
  const partial = await crashed.prisma.calendarObject.count()
  expect(partial).toBeGreaterThan(0)
  expect(partial).toBeLessThan(EVENTS)
  const calendar = await crashed.prisma.calendar.findUniqueOrThrow({ where: { id: fx.calendarIds.get(calendarUrl)! } })
  expect(calendar.lastSyncedAt).toBeNull() // the token did not advance

  // The dead process's lease runs out; the next run resumes without refetching what was committed.
  await crashed.prisma.integration.update({
    where: { id: fx.integrationId },
    data: { leaseUntil: new Date(Date.now() - 1000) },
  })
  const resumed = await syncIntegration(crashed, fx.integrationId, 'CRON')
  expect(resumed?.outcome).toBe('SUCCESS')
  expect(resumed!.counters.objectsFetched).toBe(EVENTS - partial)
  const interrupted = await crashed.prisma.syncRun.findMany({
    where: { integrationId: fx.integrationId },
    orderBy: { startedAt: 'asc' },
  })
  expect(interrupted.map((r) => r.outcome)).toEqual(['FAILED', 'SUCCESS'])

  const clean = await open(`clean_${randomBytes(5).toString('hex')}`)
  const cleanFx = await fixture(clean)
  expect((await syncIntegration(clean, cleanFx.integrationId, 'CRON'))?.outcome).toBe('SUCCESS')

  const after = await snapshot(crashed)
  const expected = await snapshot(clean)
  expect(after.objects).toHaveLength(EVENTS)
  expect(new Set(after.slots).size).toBe(after.slots.length)
  expect(after.objects).toEqual(expected.objects)
  expect(after.slots).toEqual(expected.slots)
}, 240_000) // the child may take up to its 120 s deadline to commit its first batches, then two syncs follow
