// The real CalDAV servers the client's scenarios run against, behind one shape.
import { createCalendar, putEvent, deleteEvent, startRadicale, startXandikos } from '../../support/caldav/index.ts'
import { startICloudServer } from '../../support/caldav/icloud/index.ts'
import type { CalDavCredentials } from '../../../src/caldav/index.ts'
import { eventIcs } from '../../support/integrationFixtures.ts'

export interface Target {
  serverUrl: string
  credentials: CalDavCredentials
  /** Path of the calendar home the client should discover. */
  homePath: string
  /** Creates a calendar under the home; returns its absolute URL (trailing slash). */
  makeCalendar(
    slug: string,
    options?: { displayName?: string; color?: string; components?: ('VEVENT' | 'VTODO')[] },
  ): Promise<string>
  /** Writes an event behind the client's back (as another device would); returns its ETag. */
  put(calendarUrl: string, filename: string, ics: string): Promise<string>
  remove(url: string): Promise<void>
  stop(): Promise<void>
}

export interface TargetKind {
  name: string
  /** Whether the server stores supported-calendar-component-set from MKCALENDAR (Xandikos 0.2.8 reports all four). */
  storesComponentSet: boolean
  /** Whether the server checks passwords (Xandikos has no authentication). */
  authenticates: boolean
  start(): Promise<Target>
}

export const targets: TargetKind[] = [
  {
    name: 'Radicale',
    storesComponentSet: true,
    authenticates: true,
    async start() {
      const credentials = { username: 'alice', password: 'correct-horse-1' }
      const server = await startRadicale({ users: { [credentials.username]: credentials.password } })
      const homePath = `/${credentials.username}/`
      // Radicale creates the principal collection on the user's first authenticated PROPFIND.
      const res = await fetch(new URL(homePath, server.url), {
        method: 'PROPFIND',
        headers: {
          Depth: '0',
          Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
        },
      })
      await res.arrayBuffer()
      return {
        serverUrl: server.url,
        credentials,
        homePath,
        makeCalendar: (slug, o = {}) =>
          createCalendar(server, {
            ...credentials,
            path: `${homePath}${slug}/`,
            displayName: o.displayName ?? slug,
            ...o,
          }),
        put: (cal, file, ics) => putEvent(cal, file, ics, credentials),
        remove: (url) => deleteEvent(url, credentials),
        stop: () => server.stop(),
      }
    },
  },
  {
    name: 'Xandikos',
    storesComponentSet: false,
    authenticates: false,
    async start() {
      const server = await startXandikos()
      return {
        serverUrl: server.url,
        credentials: { username: 'user', password: 'ignored-by-xandikos' },
        homePath: server.homePath,
        makeCalendar: (slug, o = {}) =>
          createCalendar(server, { path: `${server.homePath}${slug}/`, displayName: o.displayName ?? slug, ...o }),
        put: (cal, file, ics) => putEvent(cal, file, ics),
        remove: (url) => deleteEvent(url),
        stop: () => server.stop(),
      }
    },
  },
  {
    name: 'iCloud test server',
    storesComponentSet: true,
    authenticates: true,
    async start() {
      const server = await startICloudServer()
      const credentials = { username: 'Someone@iCloud.com', password: 'abcd-efgh-ijkl-mnop' }
      const account = await server.addAccount({
        appleId: credentials.username,
        appSpecificPassword: credentials.password,
        defaultCalendars: false,
      })
      // Fixtures write straight to the backing store ("edited on another device"), addressed by calendar name.
      const split = (url: string) => {
        const [calendar = '', file = ''] = new URL(url).pathname.slice(account.homePath.length).split('/')
        return { calendar: decodeURIComponent(calendar), file: decodeURIComponent(file) }
      }
      return {
        serverUrl: server.entryUrl,
        credentials,
        homePath: account.homePath,
        makeCalendar: (slug, o = {}) => account.addCalendar(slug, o),
        put: (cal, file, ics) => account.putEvent(split(cal).calendar, file, ics),
        remove: (url) => account.deleteEvent(split(url).calendar, split(url).file),
        stop: () => server.stop(),
      }
    },
  },
]

export const event = (uid: string, summary = 'Busy', start = '20250102T100000Z', end = '20250102T110000Z'): string =>
  eventIcs({ uid, summary, start, end })
