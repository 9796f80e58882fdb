// Shared by the sync benchmark and its RSS child: an app (PGlite in memory) against a Radicale seeded on disk.
import { randomBytes } from 'node:crypto'
import { createServices } from '../../src/app/app.ts'
import type { Services } from '../../src/app/services.ts'
import { loadConfig } from '../../src/config.ts'
import { generateEncryptionKey } from '../../src/security/secrets.ts'
import { createSubaccount, createUser } from '../../test/support/factories.ts'
import {
  addRadicaleLogin,
  createIntegrationFixture,
  seedRadicaleEvents,
  startRadicaleServer,
  stamp,
  type SyncServer,
} from '../../test/support/integrationFixtures.ts'

const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
]

/** Real-world shaped: iCloud-style zoned events, every 10th a weekly series with an override and an EXDATE. */
export function benchEvent(i: number, tag = ''): { file: string; ics: string } {
  const uid = `bench-${i}-${tag}`
  const day = (i % 390) - 25
  const local = (d: number, h: number) => stamp(d, h).replace('Z', '')
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Apple Inc.//macOS 14.5//EN',
    'CALSCALE:GREGORIAN',
    ...VTIMEZONE,
  ]
  const hour = 8 + (i % 9)
  lines.push(
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20250101T000000Z',
    `DTSTART;TZID=Europe/Berlin:${local(day, hour)}`,
    `DTEND;TZID=Europe/Berlin:${local(day, hour + 1)}`,
    `SUMMARY:Meeting ${i}${tag ? ` ${tag}` : ''}`,
    'LOCATION:Room 4',
    'SEQUENCE:0',
  )
  if (i % 10 === 0) lines.push('RRULE:FREQ=WEEKLY;COUNT=8', `EXDATE;TZID=Europe/Berlin:${local(day + 14, hour)}`)
  if (i % 17 === 0) lines.push('X-APPLE-TRAVEL-DURATION;VALUE=DURATION:PT30M')
  lines.push('END:VEVENT')
  if (i % 10 === 0) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20250101T000000Z',
      `RECURRENCE-ID;TZID=Europe/Berlin:${local(day + 7, hour)}`,
      `DTSTART;TZID=Europe/Berlin:${local(day + 7, hour + 2)}`,
      `DTEND;TZID=Europe/Berlin:${local(day + 7, hour + 3)}`,
      `SUMMARY:Meeting ${i} (moved)`,
      'END:VEVENT',
    )
  }
  lines.push('END:VCALENDAR', '')
  return { file: `${uid}.ics`, ics: lines.join('\r\n') }
}

export interface BenchEnv {
  server: SyncServer
  services: Services
  close(): Promise<void>
}

/** Secrets shared by the bench and its child processes (the child decrypts the credentials the parent stored). */
export const benchSecrets = {
  AUTH_SECRET: process.env.BENCH_AUTH_SECRET ?? randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: process.env.BENCH_ENCRYPTION_KEYS ?? generateEncryptionKey('bench'),
}

export interface ServicesTarget {
  serverUrl: string
  /** PostgreSQL URL; PGlite when absent. */
  databaseUrl?: string
  /** PostgreSQL schema (created and migrated on open). */
  schema?: string
  /** PGlite folder, or memory:// (default). */
  dataDir?: string
}

export async function openBenchServices(target: ServicesTarget) {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: target.dataDir ?? 'memory://',
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
    ...benchSecrets,
    ICLOUD_CALDAV_URL: target.serverUrl,
    LOG_LEVEL: 'silent',
    CALDAV_TIMEOUT_MS: '1800000',
  })
  const { services, database, closePubSub } = await createServices(
    config,
    target.schema ? { databaseSchema: target.schema } : {},
  )
  return {
    services,
    close: async () => {
      await closePubSub()
      await database.close()
    },
  }
}

export async function startBenchEnv(): Promise<BenchEnv> {
  const server = await startRadicaleServer()
  const { services, close } = await openBenchServices({ serverUrl: server.serverUrl })
  return {
    server,
    services,
    close: async () => {
      await close()
      await server.stop()
    },
  }
}

/** A calendar of `count` events and an integration (own user, own Apple ID) with it as conflict calendar. */
export async function seededIntegration(env: BenchEnv, slug: string, count: number) {
  const login = await addRadicaleLogin(env.server, `${slug}@bench.example`, `pw-${slug}`)
  const url = await login.makeCalendar(slug)
  const subaccount = await createSubaccount(env.services)
  const user = await createUser(env.services, subaccount.id)
  // Listed while empty: Radicale's first listing of thousands of uncached files takes longer than a request timeout.
  const fx = await createIntegrationFixture(env.services, user, login, { conflicts: [url] })
  await seedRadicaleEvents(login, url, count, (i) => benchEvent(i))
  return { login, url, integrationId: fx.integrationId, calendarId: fx.calendarIds.get(url)! }
}
