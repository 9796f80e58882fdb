// The setup most sync tests share: a CalDAV server, the app pointed at it, an owner whose integration checks the
// scenario's calendars for conflicts, and the events those calendars start with. The tests then read as what happens
// next (a change on the server, a throttling answer, a second instance).
import { afterAll, beforeAll, beforeEach } from 'vitest'
import type { Integration } from '../../src/generated/prisma/client.ts'
import type { SyncTrigger } from '../../src/generated/prisma/enums.ts'
import type { Services } from '../../src/app/services.ts'
import { syncIntegration } from '../../src/sync/index.ts'
import type { SyncRunResult } from '../../src/sync/syncIntegration.ts'
import type { ICloudTestAccount } from './caldav/icloud/index.ts'
import { createTeam, type TestUser } from './factories.ts'
import {
  createIntegrationFixture,
  eventIcs,
  stamp,
  startICloudSyncServer,
  type IntegrationFixture,
  type SyncServer,
} from './integrationFixtures.ts'
import { startTestApp, type TestApp } from './testApp.ts'

/** The events a calendar starts with: file name → iCalendar. */
type CalendarEvents = Record<string, string>

export interface SyncScenarioOptions<K extends string> {
  /** The CalDAV server; the iCloud test server unless given. */
  server?: () => Promise<SyncServer>
  /** App environment besides ICLOUD_CALDAV_URL; a function when it needs something started before (a Redis). */
  env?: Record<string, string> | (() => Record<string, string>)
  /** Who owns the integration; a new team's regular user unless given. */
  owner?: (t: TestApp) => Promise<TestUser>
  /** Calendars by display name (the slug is the name in lower case); one busy hour tomorrow in "Work" unless given. */
  calendars?: Record<K, CalendarEvents>
  /** A first sync before the tests, which must succeed. */
  initialSync?: SyncTrigger
}

export interface SyncScenario<K extends string = string> {
  server: SyncServer
  t: TestApp
  user: TestUser
  fx: IntegrationFixture
  /** Calendar URL by display name. */
  calendars: Record<K, string>
  /** The first calendar's URL (the only one, mostly). */
  calendar: string
  /** A manual sync of the integration; throws when it did not start (another run holds the lease). */
  sync(): Promise<SyncRunResult>
  integration(): Promise<Integration>
}

export interface SyncApp {
  server: SyncServer
  t: TestApp
}

/**
 * A CalDAV server and the app pointed at it, for the enclosing file or describe block, handed to `receive` before the
 * tests. Each test starts with a well-behaved iCloud test server: quirks a test set are reset.
 */
export function useSyncApp(
  options: Pick<SyncScenarioOptions<string>, 'server' | 'env'>,
  receive: (app: SyncApp) => void,
): void {
  let server: SyncServer | undefined
  let t: TestApp | undefined
  beforeAll(async () => {
    server = await (options.server ?? startICloudSyncServer)()
    const env = typeof options.env === 'function' ? options.env() : options.env
    t = await startTestApp({ ICLOUD_CALDAV_URL: server.serverUrl, ...env })
    receive({ server, t })
  })
  afterAll(async () => {
    await t?.close()
    await server?.stop()
  })
  beforeEach(() => server?.icloud?.resetQuirks())
}

/** useSyncApp, and the owner's integration on the scenario's calendars (made with their events) before the tests. */
export function useSyncScenario<K extends string = 'Work'>(
  options: SyncScenarioOptions<K>,
  receive: (scenario: SyncScenario<K>) => void,
): void {
  let app: SyncApp
  useSyncApp(options, (started) => (app = started))
  beforeAll(async () => receive(await setUpScenario(app.server, app.t, options)))
}

async function setUpScenario<K extends string>(
  server: SyncServer,
  t: TestApp,
  options: SyncScenarioOptions<K>,
): Promise<SyncScenario<K>> {
  const user = await (options.owner ?? teamUser)(t)
  const calendars = await putCalendars(server, options.calendars ?? (oneBusyHour() as Record<K, CalendarEvents>))
  const urls = Object.values<string>(calendars)
  const fx = await createIntegrationFixture(t.services, user, server, { conflicts: urls })
  const syncOnce = async (trigger: SyncTrigger) => {
    const result = await syncIntegration(t.services, fx.integrationId, trigger)
    if (!result) throw new Error('sync did not start')
    return result
  }
  if (options.initialSync) {
    const first = await syncOnce(options.initialSync)
    if (first.outcome !== 'SUCCESS') throw new Error(`initial sync: ${JSON.stringify(first)}`)
  }
  return {
    server,
    t,
    user,
    fx,
    calendars,
    calendar: urls[0]!,
    sync: () => syncOnce('MANUAL'),
    integration: () => t.services.prisma.integration.findUniqueOrThrow({ where: { id: fx.integrationId } }),
  }
}

const teamUser = async (t: TestApp) => (await createTeam(t.services)).user
const oneBusyHour = () => ({ Work: { 'a.ics': eventIcs({ uid: 'a', start: stamp(1, 9), end: stamp(1, 10) }) } })

async function putCalendars<K extends string>(
  server: SyncServer,
  specs: Record<K, CalendarEvents>,
): Promise<Record<K, string>> {
  const urls = {} as Record<K, string>
  for (const name of Object.keys(specs) as K[]) {
    urls[name] = await server.makeCalendar(name.toLowerCase(), name)
    for (const [file, ics] of Object.entries(specs[name])) await server.put(urls[name], file, ics)
  }
  return urls
}

/** Another Apple ID on the same iCloud test server (same hosts), as a server to make integrations on. */
export async function addICloudLogin(
  of: SyncServer,
  appleId: string,
  password: string,
): Promise<{ login: SyncServer; account: ICloudTestAccount }> {
  const account = await of.icloud!.addAccount({ appleId, appSpecificPassword: password, defaultCalendars: false })
  return { login: { ...of, username: appleId, password }, account }
}

/** A new team's regular user with an integration on `server` that checks `calendar` for conflicts. */
export async function newTeamIntegration(
  services: Services,
  server: SyncServer,
  calendar: string,
): Promise<IntegrationFixture> {
  return createIntegrationFixture(services, (await createTeam(services)).user, server, { conflicts: [calendar] })
}
