// Shared setup of the write-back tests: one login per test on each CalDAV server, a CRM calendar whose member has that
// login as a connected integration with a linked calendar (also a conflict calendar), and raw HTTP access to what the
// server holds (not through the code under test).
import { randomBytes } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import { connect } from 'node:net'
import { syncIntegration } from '../../../src/sync/index.ts'
import { processWriteBackQueue } from '../../../src/writeBack/outbox.ts'
import { authHeader, type BasicAuth } from '../../support/caldav/davClient.ts'
import {
  addRadicaleLogin,
  createIntegrationFixture,
  startICloudSyncServer,
  startRadicaleServer,
  startXandikosServer,
  type SyncServer,
} from '../../support/integrationFixtures.ts'
import { useStarted } from '../../support/lifecycle.ts'
import type { TestApp } from '../../support/testApp.ts'
import { setUpCalendar, type CalendarOptions, type Fixture } from '../scheduling/support.ts'
import { bookOrThrow } from '../scheduling/flows.ts'

export const serverKinds = [
  { name: 'Radicale', start: startRadicaleServer },
  { name: 'Xandikos', start: startXandikosServer },
  { name: 'iCloud test server', start: startICloudSyncServer },
] as const

const unique = () => randomBytes(4).toString('hex')

/** One CalDAV server of a kind for the enclosing describe block, handed to `receive`. */
export function useSyncServer(kind: { start: () => Promise<SyncServer> }, receive: (server: SyncServer) => void): void {
  useStarted(kind.start, receive, 60_000)
}

export interface Login {
  server: SyncServer
  username: string
  password: string
  auth: BasicAuth | undefined
  makeCalendar(slug: string): Promise<string>
  put(calendarUrl: string, filename: string, ics: string): Promise<string>
  remove(calendarUrl: string, filename: string): Promise<void>
  /** iCloud test server only: Apple's side of the app-specific password. */
  icloudAccount?: { revokePassword(): void; setAppSpecificPassword(password: string): void }
}

/** A fresh CalDAV account on `server` (the Apple ID is unique across the app's integrations). */
export async function newLogin(server: SyncServer): Promise<Login> {
  if (server.radicale) {
    const username = `wb-${unique()}@example.com`
    const login = await addRadicaleLogin(server, username, 'pw-secret-1')
    return { ...login, server, auth: { username, password: 'pw-secret-1' } }
  }
  if (server.icloud) {
    const username = `wb-${unique()}@icloud.com`
    const password = 'abcd-efgh-ijkl-mnop'
    const account = await server.icloud.addAccount({
      appleId: username,
      appSpecificPassword: password,
      defaultCalendars: false,
    })
    const name = (cal: string) =>
      decodeURIComponent(new URL(cal).pathname.slice(account.homePath.length).replace(/\/$/, ''))
    return {
      server,
      username,
      password,
      auth: { username, password },
      makeCalendar: (slug) => account.addCalendar(slug, { displayName: slug }),
      put: (cal, file, ics) => account.putEvent(name(cal), file, ics),
      remove: (cal, file) => account.deleteEvent(name(cal), file),
      icloudAccount: account,
    }
  }
  // Xandikos: no authentication; any Apple ID, calendars under the one home.
  return { ...server, server, username: `wb-${unique()}@example.com`, auth: undefined }
}

/** The raw resource as the server holds it (null when absent). */
export async function fetchResource(
  login: Login,
  calendarUrl: string,
  href: string,
): Promise<{ etag: string | null; data: string } | null> {
  const res = await fetch(new URL(href, calendarUrl), { headers: { ...authHeader(login.auth) } })
  const data = await res.text()
  if (res.status === 404) return null
  if (res.status !== 200) throw new Error(`GET ${href} → ${res.status}`)
  return { etag: res.headers.get('etag'), data }
}

/** Hrefs of the .ics resources in a calendar (PROPFIND Depth 1). */
export async function listResources(login: Login, calendarUrl: string): Promise<string[]> {
  const res = await fetch(calendarUrl, {
    method: 'PROPFIND',
    headers: { Depth: '1', 'Content-Type': 'application/xml', ...authHeader(login.auth) },
    body: '<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
  })
  const text = await res.text()
  return [...text.matchAll(/<(?:\w+:)?href>([^<]+\.ics)<\/(?:\w+:)?href>/g)].map((m) => decodeURIComponent(m[1]!))
}

export interface LinkedMember {
  f: Fixture
  login: Login
  userId: string
  calendarUrl: string
  integrationId: string
}

/** A CRM calendar whose members each have an integration with a linked calendar (also a conflict calendar). */
export async function setUpLinkedCalendar(
  t: TestApp,
  server: SyncServer,
  options: Partial<CalendarOptions> = {},
): Promise<LinkedMember[]> {
  const f = await setUpCalendar(t, { type: 'SERVICE', ...options })
  const out: LinkedMember[] = []
  for (const { user } of f.members) {
    const login = await newLogin(server)
    const calendarUrl = await login.makeCalendar(`work-${unique()}`)
    const fixture = await createIntegrationFixture(
      t.services,
      { id: user.id, subaccountId: f.subaccountId },
      { ...server, username: login.username, password: login.password },
      { conflicts: [], linked: calendarUrl, alsoConflict: true, appleId: login.username },
    )
    const first = await syncIntegration(t.services, fixture.integrationId, 'MANUAL')
    if (first?.outcome !== 'SUCCESS') throw new Error(`initial sync: ${JSON.stringify(first)}`)
    out.push({ f, login, userId: user.id, calendarUrl, integrationId: fixture.integrationId })
  }
  return out
}

/** The one member of a fresh linked calendar (see setUpLinkedCalendar). */
export async function linkedMember(
  t: TestApp,
  server: SyncServer,
  options: Partial<CalendarOptions> = {},
): Promise<LinkedMember> {
  const [member] = await setUpLinkedCalendar(t, server, options)
  return member!
}

/** Drains the outbox the way the worker does (background jobs are off in tests). */
export async function drainOutbox(t: TestApp): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const { claimed } = await processWriteBackQueue(t.services)
    if (claimed === 0) return
  }
}

export async function participantOf(t: TestApp, appointmentId: string, userId: string) {
  return t.services.prisma.appointmentParticipant.findUniqueOrThrow({
    where: { appointmentId_userId: { appointmentId, userId } },
  })
}

/** A TCP pass-through in front of a server that can be switched off (connections are dropped without an answer). */
export interface Switchable {
  url: string
  down: boolean
  close(): Promise<void>
}

export async function switchableProxy(targetUrl: string): Promise<Switchable> {
  const target = new URL(targetUrl)
  const sockets = new Set<Socket>()
  const state = { down: false }
  const server: Server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    if (state.down) {
      client.destroy()
      return
    }
    const upstream = connect(Number(target.port), target.hostname)
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    client.pipe(upstream).pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/`,
    get down() {
      return state.down
    },
    set down(value: boolean) {
      state.down = value
      if (value) for (const s of sockets) s.destroy()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** The resource as if edited in Apple Calendar: new times (UTC), title and location; everything else kept. */
export function editedInICloud(ics: string, start: string, end: string, summary: string, location: string): string {
  const unfolded = ics.replace(/\r?\n[ \t]/g, '')
  const [head, rest] = unfolded.split(/BEGIN:VEVENT\r?\n/) as [string, string]
  const event = rest
    .replace(/^DTSTART[;:].*$/m, `DTSTART:${start}`)
    .replace(/^DTEND[;:].*$/m, `DTEND:${end}`)
    .replace(/^SUMMARY:.*$/m, `SUMMARY:${summary}`)
    .replace(/^END:VEVENT/m, `LOCATION:${location}\r\nX-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\nEND:VEVENT`)
  return `${head}BEGIN:VEVENT\r\n${event}`
}
export const utc = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
export const fileOf = (href: string) => decodeURIComponent(href.split('/').pop()!)

/**
 * Books `start` on the member's calendar and lets the outbox write it and (unless `seenBySync` is false) a sync see
 * it; the appointment and the resource as written.
 */
export async function bookWrittenToICloud(t: TestApp, m: LinkedMember, start: string, { seenBySync = true } = {}) {
  const { appointment, appointmentId } = await bookOrThrow(m.f, start)
  await drainOutbox(t)
  if (seenBySync) await syncIntegration(t.services, m.integrationId, 'MANUAL')
  const { remoteHref } = await participantOf(t, appointmentId, m.userId)
  const original = (await fetchResource(m.login, m.calendarUrl, remoteHref!))!
  return { appointment, appointmentId, remoteHref: remoteHref!, original }
}
