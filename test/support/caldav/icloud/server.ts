import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCalendar, deleteEvent, putEvent } from '../davClient.ts'
import { startRadicale } from '../radicale.ts'
import { AccountStore, radicaleAuthorization, type AccountRecord } from './accounts.ts'
import { homePath, isSynthesized, principalPath } from './paths.ts'
import { createHandler } from './proxy.ts'
import { defaultQuirks } from './quirks.ts'
import type {
  AddAccountOptions,
  AddCalendarOptions,
  ICloudTestAccount,
  ICloudTestServer,
  RecordedRequest,
} from './types.ts'

export interface StartICloudServerOptions {
  /** Fixed ports (dev script); 0 or omitted picks free ones */
  entryPort?: number
  partitionPort?: number
  secondPartitionPort?: number
}

export async function startICloudServer(options: StartICloudServerOptions = {}): Promise<ICloudTestServer> {
  const radicale = await startRadicale({ users: {} })
  const upstreamOrigin = radicale.url.replace(/\/$/, '')
  const accounts = new AccountStore()
  const requests: RecordedRequest[] = []
  const entry = createServer()
  const partition = createServer()
  const partition2 = createServer()
  try {
    const entryPort = await listen(entry, options.entryPort ?? 0)
    const partitionPort = await listen(partition, options.partitionPort ?? 0)
    const partition2Port = await listen(partition2, options.secondPartitionPort ?? 0)
    const entryOrigin = `http://127.0.0.1:${entryPort}`
    const partitionOrigin = `http://127.0.0.1:${partitionPort}`
    const partition2Origin = `http://127.0.0.1:${partition2Port}`

    const server: ICloudTestServer = {
      entryUrl: `${entryOrigin}/`,
      partitionUrl: `${partitionOrigin}/`,
      secondPartitionUrl: `${partition2Origin}/`,
      quirks: defaultQuirks(),
      requests,
      resetQuirks() {
        server.quirks = defaultQuirks()
      },
      clearRequests() {
        requests.length = 0
      },
      async addAccount(opts) {
        return addAccount(opts)
      },
      async stop() {
        entry.closeAllConnections()
        partition.closeAllConnections()
        partition2.closeAllConnections()
        await Promise.all([close(entry), close(partition), close(partition2)])
        await radicale.stop()
      },
    }
    const ctx = {
      accounts,
      quirks: () => server.quirks,
      requests,
      upstreamOrigin,
      entryOrigin,
      partitionOrigin,
      partition2Origin,
    }
    entry.on('request', createHandler(ctx, 'entry'))
    partition.on('request', createHandler(ctx, 'partition'))
    partition2.on('request', createHandler(ctx, 'partition2'))

    const addAccount = async (opts: AddAccountOptions): Promise<ICloudTestAccount> => {
      const record = accounts.create(opts)
      await radicale.addUser(record.radicaleUser, record.radicalePassword)
      const account = makeAccount(record, radicale.url, { partitionOrigin, partition2Origin })
      if (opts.defaultCalendars !== false) {
        await account.addCalendar('calendar', {
          displayName: 'Calendar',
          color: '#1BADF8FF',
          components: ['VEVENT', 'VTODO'],
        })
        // Reminders lists are VTODO-only calendar collections in the same home.
        await account.addCalendar('tasks', { displayName: 'Reminders', color: '#FF9500FF', components: ['VTODO'] })
      } else {
        // Radicale creates the principal collection (our calendar home) on the first authenticated request.
        await fetch(`${radicale.url}${record.radicaleUser}/`, {
          method: 'PROPFIND',
          headers: { Depth: '0', Authorization: radicaleAuthorization(record) },
        }).then((r) => r.arrayBuffer())
      }
      return account
    }
    return server
  } catch (error) {
    entry.close()
    partition.close()
    partition2.close()
    await radicale.stop()
    throw error
  }
}

function makeAccount(
  record: AccountRecord,
  radicaleUrl: string,
  origins: { partitionOrigin: string; partition2Origin: string },
): ICloudTestAccount {
  const homeOrigin = () => (record.moved ? origins.partition2Origin : origins.partitionOrigin)
  const auth = { username: record.radicaleUser, password: record.radicalePassword }
  const upstreamCalendar = (name: string) => `${radicaleUrl}${record.radicaleUser}/${encodeURIComponent(name)}/`
  return {
    appleId: record.appleId,
    dsid: record.dsid,
    principalPath: principalPath(record.dsid),
    homePath: homePath(record.dsid),
    calendarUrl: (name) => `${homeOrigin()}${homePath(record.dsid)}${encodeURIComponent(name)}/`,
    async addCalendar(name: string, opts: AddCalendarOptions = {}) {
      if (isSynthesized(name) || !/^[\w.-]+$/.test(name))
        throw new Error(`calendar name ${name} is reserved or invalid`)
      await createCalendar(
        { url: radicaleUrl },
        {
          ...auth,
          path: `/${record.radicaleUser}/${name}/`,
          displayName: opts.displayName ?? name,
          color: opts.color ?? '#34AADCFF',
          components: opts.components ?? ['VEVENT'],
        },
      )
      if (opts.readOnlyShared) record.readOnlyShared.add(name)
      return `${homeOrigin()}${homePath(record.dsid)}${name}/`
    },
    putEvent: (calendarName, filename, ics) => putEvent(upstreamCalendar(calendarName), filename, ics, auth),
    deleteEvent: (calendarName, filename) =>
      deleteEvent(`${upstreamCalendar(calendarName)}${encodeURIComponent(filename)}`, auth),
    revokePassword() {
      record.revoked = true
    },
    setAppSpecificPassword(password: string) {
      record.appSpecificPassword = password
      record.revoked = false
    },
    moveToSecondPartition(oldHostAnswers) {
      record.moved = { oldHostAnswers }
    },
  }
}

async function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

async function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}
