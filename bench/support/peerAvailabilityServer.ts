// The peer approach of bench/availabilityLoad.bench.ts, in its own process: an HTTP server that answers each
// availability request by fetching the members' conflict calendars live from a CalDAV server (Radicale on loopback)
// with the project's CalDAV client (list the objects, calendar-multiget them), expanding them and computing the same
// slots as ours. No database and no cache: what a peer without a sync engine pays per request.
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { CalDavClient } from '../../src/caldav/index.ts'
import { expandCalendarResource } from '../../src/caldav/ical/index.ts'
import { normalize, type Interval } from '../../src/scheduling/intervals.ts'
import { computeSlots } from '../../src/scheduling/slots.ts'
import { workingIntervals } from '../../src/scheduling/workingHours.ts'
import { createCalendar, startRadicale } from '../../test/support/caldav/index.ts'
import { buildWorkload, DAY, SETTINGS, WORKING_HOURS, ZONE, type Workload } from './availabilityWorkload.ts'
import { serveRequests } from './childRpc.ts'

const workload = buildWorkload(JSON.parse(process.env.LOAD_WORKLOAD!) as Workload['shape'])
const { members } = workload.shape
const radicale = await startRadicale({
  users: Object.fromEntries(Array.from({ length: members }, (_, m) => [`member${m}`, `pw${m}`])),
})

interface Target {
  member: number
  url: string
  client: CalDavClient
}

/** Creates the calendars and writes their items into Radicale's storage (as the availability bench does). */
async function loadCalendars(): Promise<Target[]> {
  const targets: Target[] = []
  for (let m = 0; m < members; m++) {
    const credentials = { username: `member${m}`, password: `pw${m}` }
    const client = new CalDavClient({
      serverUrl: radicale.url,
      credentials,
      homeUrl: `${radicale.url}member${m}/`,
      timeoutMs: 300_000,
    })
    for (let c = 0; c < workload.shape.calendarsPerMember; c++) {
      const url = await createCalendar(radicale, { ...credentials, path: `/member${m}/cal${c}/`, displayName: `C${c}` })
      const folder = path.join(radicale.storageDir, 'collections', 'collection-root', `member${m}`, `cal${c}`)
      await mkdir(folder, { recursive: true })
      for (const r of workload.calendars[m]![c]!)
        await writeFile(path.join(folder, `${r.uid.replace(/[^\w.-]/g, '_')}.ics`), r.ics)
      targets.push({ member: m, url, client })
    }
  }
  return targets
}

const targets = await loadCalendars()

async function fetchBusy(from: number, to: number, only = targets): Promise<Interval[][]> {
  const byMember: Interval[][] = Array.from({ length: members }, () => [])
  await Promise.all(
    only.map(async ({ member, url, client }) => {
      const listed = await client.listObjectEtags(url)
      const { objects } = await client.multiget(
        url,
        listed.map((o) => o.href),
      )
      const window = { windowStart: new Date(from), windowEnd: new Date(to), defaultTimeZone: ZONE, ownerEmails: [] }
      for (const object of objects) {
        for (const o of expandCalendarResource(object.data, window).occurrences) {
          if (o.transparency === 'BUSY') byMember[member]!.push({ start: o.busyStart.getTime(), end: o.end.getTime() })
        }
      }
    }),
  )
  return byMember
}

async function availability(from: number, to: number) {
  const busy = await fetchBusy(from - DAY, to + 2 * DAY)
  return computeSlots({
    settings: SETTINGS,
    now: Date.now(),
    range: { start: from, end: to },
    members: busy.map((b, m) => ({
      memberId: `member${m}`,
      timeZone: ZONE,
      priority: 0,
      working: workingIntervals({
        rules: WORKING_HOURS,
        overrides: [],
        timeZone: ZONE,
        range: { start: from, end: to + DAY },
      }),
      busy: normalize(b),
      bookingsPerLocalDay: new Map(),
      recentBookings: 0,
    })),
  })
}

const server = createServer((req, res) => {
  const from = workload.range.from.getTime()
  const to = workload.range.to.getTime()
  req.resume()
  availability(from, to).then(
    (slots) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ slots })),
    (error: unknown) => res.writeHead(500).end(String(error)),
  )
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

serveRequests({
  url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
  /** Radicale parses an item on its first read and caches it: warm every calendar once, untimed. */
  warm: async () => {
    const t0 = performance.now()
    // One calendar at a time: Radicale parses a calendar's items on its first read, slowly.
    for (const target of targets) await fetchBusy(workload.range.from.getTime(), workload.range.to.getTime(), [target])
    const warmed = performance.now()
    const slots = await availability(workload.range.from.getTime(), workload.range.to.getTime())
    const done = performance.now()
    return { ms: Math.round(warmed - t0), oneRequestMs: Math.round(done - warmed), slots: slots.length }
  },
  stop: async () => {
    server.close()
    await radicale.stop()
    return null
  },
})
