// Sync-engine fixtures: CalDAV servers behind one shape, and integrations written straight into the database (faster
// than connectICloud, and independent of it). Calendar rows come from the real server's listing.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Services } from '../../src/app/services.ts'
import { CalDavClient } from '../../src/caldav/index.ts'
import {
  createCalendar,
  deleteEvent,
  putEvent,
  startRadicale,
  startXandikos,
  type RunningRadicale,
} from './caldav/index.ts'
import { startICloudServer, type ICloudTestServer } from './caldav/icloud/index.ts'

export interface SyncServer {
  name: string
  /** The app's ICLOUD_CALDAV_URL. */
  serverUrl: string
  username: string
  password: string
  /** Creates an event calendar; returns its absolute URL (trailing slash). */
  makeCalendar(slug: string, displayName?: string): Promise<string>
  /** Writes behind the engine's back ("edited on another device"). */
  put(calendarUrl: string, filename: string, ics: string): Promise<string>
  remove(calendarUrl: string, filename: string): Promise<void>
  /** Radicale only: where a calendar's files live, to seed thousands of events without PUTs (benchmarks). */
  storageDirFor?(calendarUrl: string): string
  icloud?: ICloudTestServer
  radicale?: RunningRadicale
  /** iCloud test server: the app-specific password is revoked (401 from now on). */
  revokePassword?(): void
  stop(): Promise<void>
}

export type SyncServerKind = { name: string; start(): Promise<SyncServer> }

const basic = (username: string, password: string) => ({ username, password })

export async function startRadicaleServer(): Promise<SyncServer> {
  const username = 'alice@example.com'
  const password = 'correct-horse-1'
  const server = await startRadicale({ users: { [username]: password } })
  return radicaleLogin(server, username, password, () => server.stop())
}

/** Another login on the same Radicale (one per integration: the Apple ID is the CalDAV user name). */
export async function addRadicaleLogin(of: SyncServer, username: string, password: string): Promise<SyncServer> {
  if (!of.radicale) throw new Error('not a Radicale server')
  await of.radicale.addUser(username, password)
  return radicaleLogin(of.radicale, username, password, async () => {})
}

async function radicaleLogin(
  server: RunningRadicale,
  username: string,
  password: string,
  stop: () => Promise<void>,
): Promise<SyncServer> {
  const home = `/${username}/`
  // Radicale creates the principal collection on the user's first authenticated PROPFIND.
  const res = await fetch(new URL(home, server.url), {
    method: 'PROPFIND',
    headers: { Depth: '0', Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
  })
  await res.arrayBuffer()
  return {
    name: 'Radicale',
    serverUrl: server.url,
    username,
    password,
    makeCalendar: (slug, displayName) =>
      createCalendar(server, { username, password, path: `${home}${slug}/`, displayName: displayName ?? slug }),
    put: (cal, file, ics) => putEvent(cal, file, ics, basic(username, password)),
    remove: (cal, file) => deleteEvent(new URL(file, cal).href, basic(username, password)),
    storageDirFor: (cal) =>
      path.join(
        server.storageDir,
        'collections',
        'collection-root',
        ...decodeURIComponent(new URL(cal).pathname).split('/').filter(Boolean),
      ),
    radicale: server,
    stop,
  }
}

export async function startXandikosServer(): Promise<SyncServer> {
  const server = await startXandikos()
  return {
    name: 'Xandikos',
    serverUrl: server.url,
    username: 'user@example.com',
    password: 'ignored-by-xandikos',
    makeCalendar: (slug, displayName) =>
      createCalendar(server, { path: `${server.homePath}${slug}/`, displayName: displayName ?? slug }),
    put: (cal, file, ics) => putEvent(cal, file, ics),
    remove: (cal, file) => deleteEvent(new URL(file, cal).href),
    stop: () => server.stop(),
  }
}

export async function startICloudSyncServer(): Promise<SyncServer> {
  const server = await startICloudServer()
  const username = 'someone@icloud.com'
  const password = 'abcd-efgh-ijkl-mnop'
  const account = await server.addAccount({ appleId: username, appSpecificPassword: password, defaultCalendars: false })
  const name = (cal: string) =>
    decodeURIComponent(new URL(cal).pathname.slice(account.homePath.length).replace(/\/$/, ''))
  return {
    name: 'iCloud test server',
    serverUrl: server.entryUrl,
    username,
    password,
    makeCalendar: async (slug, displayName) => account.addCalendar(slug, { displayName: displayName ?? slug }),
    put: (cal, file, ics) => account.putEvent(name(cal), file, ics),
    remove: (cal, file) => account.deleteEvent(name(cal), file),
    icloud: server,
    revokePassword: () => account.revokePassword(),
    stop: () => server.stop(),
  }
}

export const syncServers: SyncServerKind[] = [
  { name: 'Radicale', start: startRadicaleServer },
  { name: 'Xandikos', start: startXandikosServer },
  { name: 'iCloud test server', start: startICloudSyncServer },
]

export interface IntegrationFixture {
  integrationId: string
  /** Calendar row id by absolute calendar URL. */
  calendarIds: Map<string, string>
}

/**
 * An integration of `user` on `server`, with Calendar rows from discovery, the given conflict calendars and
 * optionally a linked calendar (alsoConflict as given).
 */
export async function createIntegrationFixture(
  services: Services,
  user: { id: string; subaccountId: string },
  server: SyncServer,
  options: { conflicts: string[]; linked?: string; alsoConflict?: boolean; appleId?: string },
): Promise<IntegrationFixture> {
  const appleId = (options.appleId ?? server.username).toLowerCase()
  const client = new CalDavClient({
    serverUrl: server.serverUrl,
    credentials: { username: server.username, password: server.password },
  })
  const { principalUrl, homeUrl } = await client.discover()
  const remote = await client.listCalendars()
  const encrypted = services.cipher.encrypt(server.password, appleId)
  const integration = await services.prisma.integration.create({
    data: {
      userId: user.id,
      subaccountId: user.subaccountId,
      appleId,
      credentialCiphertext: encrypted.ciphertext,
      credentialKeyId: encrypted.keyId,
      principalUrl,
      homeUrl,
      // Discovery state only: ctag and sync token belong to the engine.
      calendars: {
        create: remote.map((c) => ({
          path: c.path,
          url: c.url,
          displayName: c.displayName,
          color: c.color,
          kind: c.kind,
          components: c.components,
          writable: c.writable,
          shared: c.shared,
          subscribed: c.subscribed,
        })),
      },
    },
    include: { calendars: true },
  })
  const calendarIds = new Map<string, string>()
  for (const c of integration.calendars) calendarIds.set(c.url, c.id)
  const idOf = (url: string) => {
    const pathname = decodeURIComponent(new URL(url).pathname)
    const found = integration.calendars.find((c) => decodeURIComponent(c.path) === pathname)
    if (!found) throw new Error(`calendar ${url} not found in the listing`)
    calendarIds.set(url, found.id)
    return found.id
  }
  for (const url of options.conflicts) {
    await services.prisma.conflictCalendar.create({ data: { integrationId: integration.id, calendarId: idOf(url) } })
  }
  if (options.linked) {
    await services.prisma.linkedCalendar.create({
      data: {
        integrationId: integration.id,
        calendarId: idOf(options.linked),
        alsoConflict: options.alsoConflict ?? true,
      },
    })
  }
  return { integrationId: integration.id, calendarIds }
}

export interface EventSpec {
  uid: string
  start: string
  end: string
  summary?: string
  extra?: string[]
}

/** A plain VEVENT resource; times as iCalendar values (e.g. 20250102T100000Z). */
export function eventIcs(e: EventSpec): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//sync-tests//EN',
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    'DTSTAMP:20250101T000000Z',
    `DTSTART:${e.start}`,
    `DTEND:${e.end}`,
    `SUMMARY:${e.summary ?? 'Busy'}`,
    ...(e.extra ?? []),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n')
}

/** An iCalendar UTC stamp `days` days and `hours` hours from today's UTC midnight. */
export function stamp(days: number, hours = 0, minutes = 0): string {
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000
  const d = new Date(today + days * 86_400_000 + hours * 3_600_000 + minutes * 60_000)
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** Seeds `count` one-hour events straight into Radicale's storage (thousands of PUTs would take minutes). */
export async function seedRadicaleEvents(
  server: SyncServer,
  calendarUrl: string,
  count: number,
  make: (i: number) => { file: string; ics: string },
): Promise<void> {
  if (!server.storageDirFor) throw new Error('seeding needs Radicale storage')
  const dir = server.storageDirFor(calendarUrl)
  await mkdir(dir, { recursive: true })
  const batch = 200
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, (_, k) => {
        const { file, ics } = make(i + k)
        return writeFile(path.join(dir, file), ics)
      }),
    )
  }
}
