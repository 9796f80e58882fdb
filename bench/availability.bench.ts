// 30-day availability of a ROUND_ROBIN calendar with 5 members, each with 2 conflict calendars of 2,000 events (10%
// recurring), on PGlite and PostgreSQL: the service function (server time) and the HTTP round trip. In the same run,
// the peer approach for comparison: fetch the same busy times live from a CalDAV server (Radicale) per request with a
// calendar-query REPORT (time-range) per calendar, expand, then compute the same slots. The loader (database →
// pure input) is timed on its own too.
//
//   npx tsx bench/availability.bench.ts        (or npm run bench availability)
//   BENCH_DATABASE_URL=postgres://… to pick the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test)
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expandCalendarResource } from '../src/caldav/ical/index.ts'
import { getAvailability } from '../src/scheduling/availabilityService.ts'
import { normalize, type Interval } from '../src/scheduling/intervals.ts'
import { computeSlots } from '../src/scheduling/slots.ts'
import { workingIntervals } from '../src/scheduling/workingHours.ts'
import { createCalendar, startRadicale } from '../test/support/caldav/index.ts'
import { loadAvailabilityInput, staleAfterMs } from '../src/scheduling/loadAvailabilityInput.ts'
import { BusyTimeCache } from '../src/scheduling/busyTimeCache.ts'
import { stats, type Stats } from './support/report.ts'
import { buildWorkload, DAY, seedDatabase, SETTINGS, WORKING_HOURS, ZONE } from './support/availabilityWorkload.ts'

const MEMBERS = 5
const CALENDARS_PER_MEMBER = 2
const EVENTS_PER_CALENDAR = 2000
const RECURRING_SHARE = 0.1
// ~200 samples make a p99 meaningful (the 2nd-worst sample) while keeping the whole run to a few minutes.
const SERVICE_RUNS = Number(process.env.BENCH_RUNS ?? 200)
const HTTP_RUNS = SERVICE_RUNS
const LOADER_RUNS = SERVICE_RUNS
const PEER_RUNS = Number(process.env.BENCH_PEER_RUNS ?? 10)
// The cache-miss baselines: what a miss read before the horizon (the whole sync window, 395 days), and with the
// horizon's previous default (62 days).
const WHOLE_WINDOW_MS = 400 * DAY
const PREVIOUS_HORIZON_MS = 62 * DAY

const directory = path.dirname(fileURLToPath(import.meta.url))
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const workload = buildWorkload({
  members: MEMBERS,
  calendarsPerMember: CALENDARS_PER_MEMBER,
  eventsPerCalendar: EVENTS_PER_CALENDAR,
  recurringShare: RECURRING_SHARE,
})
const { calendars, range } = workload
const seed = (kind: 'pglite' | 'postgres') => seedDatabase(workload, kind, databaseUrl)

// --- measuring ---

async function measure(
  runs: number,
  warmup: number,
  fn: () => Promise<unknown>,
  beforeEach?: () => Promise<unknown>,
): Promise<Stats> {
  for (let i = 0; i < warmup; i++) {
    await beforeEach?.()
    await fn()
  }
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    await beforeEach?.() // not timed
    const t0 = performance.now()
    await fn()
    samples.push(performance.now() - t0)
  }
  return stats(samples)
}

const AVAILABILITY_QUERY = `query Bench($calendarId: ID!, $from: DateTime!, $to: DateTime!, $timeZone: TimeZone!) {
  availability(calendarId: $calendarId, from: $from, to: $to, timeZone: $timeZone) {
    stale
    slots { start end localStart freeMembers }
  }
}`

async function benchDatabase(kind: 'pglite' | 'postgres') {
  console.log(`seeding ${kind}…`)
  const db = await seed(kind)
  try {
    let slotCount = 0
    // Loader alone (database → pure input), then the whole service and the HTTP round trip.
    const rangeMs = { start: range.from.getTime(), end: range.to.getTime() }
    const loadOptions = () => ({
      now: Date.now(),
      staleAfterMs: staleAfterMs(db.app.services.config.sync.intervalSeconds),
      busyCache: db.app.services.busyTimeCache,
    })
    const loaded = await loadAvailabilityInput(db.app.services.prisma, db.calendarId, rangeMs, loadOptions())
    if (loaded === null) throw new Error('calendar not found')
    const busyIntervals = loaded.compute.members.reduce((n, m) => n + m.busy.length, 0)
    const loader = await measure(LOADER_RUNS, 20, () =>
      loadAvailabilityInput(db.app.services.prisma, db.calendarId, rangeMs, loadOptions()),
    )
    const service = await measure(SERVICE_RUNS, 20, async () => {
      const a = await getAvailability(db.app.services, db.calendarId, range, ZONE)
      slotCount = a.slots.length
    })
    // The busy-time cache: one member's blocked slots changed since the last answer (that member is read again), and
    // a process with nothing cached (every member read: the first request after a start).
    const { prisma } = db.app.services
    const member = await prisma.crmCalendarMember.findFirstOrThrow({ where: { calendarId: db.calendarId } })
    const oneSlot = await prisma.blockedSlot.findFirstOrThrow({ where: { userId: member.userId } })
    const afterOneChange = await measure(
      Math.ceil(SERVICE_RUNS / 3),
      5,
      () => getAvailability(db.app.services, db.calendarId, range, ZONE),
      () => prisma.$executeRaw`UPDATE "BlockedSlot" SET "title" = "title" WHERE "id" = ${oneSlot.id}`,
    )
    // Nothing cached, as configured (a horizon of busy time is read), and the baseline of the same run: a miss that
    // reads the whole sync window, as before the horizon.
    const missWith = (horizonMs: number) =>
      measure(Math.ceil(SERVICE_RUNS / 3), 5, () =>
        getAvailability(
          {
            ...db.app.services,
            busyTimeCache: new BusyTimeCache(db.app.services.config.availabilityCacheIntervals, horizonMs),
          },
          db.calendarId,
          range,
          ZONE,
        ),
      )
    const nothingCached = await missWith(db.app.services.config.availabilityCacheHorizonDays * DAY)
    const nothingCachedPreviousHorizon = await missWith(PREVIOUS_HORIZON_MS)
    const nothingCachedWholeWindow = await missWith(WHOLE_WINDOW_MS)
    const gid = Buffer.from(`CrmCalendar:${db.calendarId}`).toString('base64')
    const http = await measure(HTTP_RUNS, 20, async () => {
      const res = await fetch(`${db.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${db.token}` },
        body: JSON.stringify({
          query: AVAILABILITY_QUERY,
          variables: { calendarId: gid, from: range.from.toISOString(), to: range.to.toISOString(), timeZone: ZONE },
        }),
      })
      const body = (await res.json()) as { errors?: unknown; data?: { availability: { slots: unknown[] } } }
      if (body.errors || !body.data) throw new Error(JSON.stringify(body).slice(0, 500))
      if (body.data.availability.slots.length !== slotCount) throw new Error('HTTP and service disagree')
    })
    const result = {
      service,
      afterOneChange,
      nothingCached,
      nothingCachedPreviousHorizon,
      nothingCachedWholeWindow,
      http,
      loader,
      slotCount,
      cacheHorizonDays: db.app.services.config.availabilityCacheHorizonDays,
      blockedSlots: db.blockedSlots,
      busyIntervals,
    }
    console.log(kind, result)
    return result
  } finally {
    await db.close()
  }
}

// --- the peer approach: live CalDAV per request ---

async function benchPeer(expectedSlots: number) {
  console.log('starting Radicale and loading events…')
  const users = Object.fromEntries(Array.from({ length: MEMBERS }, (_, m) => [`member${m}`, `pw${m}`]))
  const radicale = await startRadicale({ users })
  try {
    const calendarUrls: { url: string; auth: string; member: number }[] = []
    for (let m = 0; m < MEMBERS; m++) {
      for (let c = 0; c < CALENDARS_PER_MEMBER; c++) {
        const url = await createCalendar(radicale, {
          username: `member${m}`,
          password: `pw${m}`,
          path: `/member${m}/cal${c}/`,
          displayName: `Calendar ${c}`,
        })
        // Writing the files Radicale's multifilesystem storage reads is much faster than 20,000 PUTs; Radicale
        // picks them up on the next request exactly like PUT-created items.
        const folder = path.join(radicale.storageDir, 'collections', 'collection-root', `member${m}`, `cal${c}`)
        await mkdir(folder, { recursive: true })
        for (const r of calendars[m]![c]!)
          await writeFile(path.join(folder, `${r.uid.replace(/[^\w.-]/g, '_')}.ics`), r.ics)
        calendarUrls.push({ url, auth: `Basic ${Buffer.from(`member${m}:pw${m}`).toString('base64')}`, member: m })
        if ((await readdir(folder)).filter((f) => f.endsWith('.ics')).length !== EVENTS_PER_CALENDAR)
          throw new Error('load')
      }
    }

    const utc = (ms: number) =>
      new Date(ms)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '')
    const report = (from: number, to: number) => `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="${utc(from)}" end="${utc(to)}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`

    const fetchBusy = async (targets: typeof calendarUrls, from: number, to: number): Promise<Interval[][]> => {
      const perCalendar = await Promise.all(
        targets.map(async ({ url, auth, member }) => {
          const res = await fetch(url, {
            method: 'REPORT',
            headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8', Authorization: auth },
            body: report(from, to),
          })
          const xml = await res.text()
          if (res.status !== 207) throw new Error(`REPORT ${res.status}: ${xml.slice(0, 300)}`)
          const busy: Interval[] = []
          for (const match of xml.matchAll(/<C:calendar-data[^>]*>([\s\S]*?)<\/C:calendar-data>/g)) {
            const ics = match[1]!
              .replace(/&lt;/g, '<')
              .replace(/&gt;/g, '>')
              .replace(/&amp;/g, '&')
              .replace(/&#13;/g, '\r')
            const { occurrences } = expandCalendarResource(ics, {
              windowStart: new Date(from),
              windowEnd: new Date(to),
              defaultTimeZone: ZONE,
              ownerEmails: [],
            })
            for (const o of occurrences) {
              if (o.transparency === 'BUSY') busy.push({ start: o.busyStart.getTime(), end: o.end.getTime() })
            }
          }
          return { member, busy }
        }),
      )
      const byMember: Interval[][] = Array.from({ length: MEMBERS }, () => [])
      for (const { member, busy } of perCalendar) byMember[member]!.push(...busy)
      return byMember
    }

    // Radicale parses each item once and caches it; the first REPORT of a calendar builds that cache (minutes for
    // 2,000 items here), later ones are warm. Warm calendars one at a time until the budget is spent: the warm-up is
    // not what a peer pays per request, and it must not keep the server busy while the timed requests run.
    const warmupBudgetMs = Number(process.env.BENCH_PEER_WARMUP_S ?? 1) * 1000
    const warmup: { url: string; ms: number }[] = []
    const warmStarted = performance.now()
    for (const { url, auth } of calendarUrls) {
      if (performance.now() - warmStarted > warmupBudgetMs) break
      const t0 = performance.now()
      const res = await fetch(url, {
        method: 'REPORT',
        headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8', Authorization: auth },
        body: report(range.from.getTime(), range.to.getTime()),
      })
      await res.text()
      warmup.push({ url, ms: Math.round(performance.now() - t0) })
      console.log(`warm-up REPORT ${url}: ${warmup.at(-1)!.ms} ms`)
    }
    const from = range.from.getTime()
    const to = range.to.getTime()
    // What a peer pays for one warm calendar of 2,000 events: REPORT (time-range) + parse + expand. Full size.
    const first = calendarUrls[0]!
    const oneCalendar = await measure(PEER_RUNS, 1, () =>
      fetchBusy([first], from, to + SETTINGS.slotDurationMinutes * 60_000),
    )
    console.log('peer, one warm calendar', oneCalendar)
    if (warmup.length < calendarUrls.length) {
      console.log(`peer: only ${warmup.length}/${calendarUrls.length} calendars warmed within the budget`)
      return { warmup, oneCalendar, peer: null, slotCount: null, matchesDatabase: null }
    }
    let slotCount = 0
    const peer = await measure(PEER_RUNS, 1, async () => {
      const busy = await fetchBusy(calendarUrls, from, to + SETTINGS.slotDurationMinutes * 60_000)
      const slots = computeSlots({
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
      slotCount = slots.length
    })
    console.log('peer (live CalDAV)', { peer, slotCount })
    return { warmup, oneCalendar, peer, slotCount, matchesDatabase: slotCount === expectedSlots }
  } finally {
    await radicale.stop()
  }
}

const started = new Date()
const loadAtStart = os.loadavg()
const pglite = await benchDatabase('pglite')
if (process.env.BENCH_QUICK) process.exit(0) // iterate on the PGlite figure alone
const postgres = await benchDatabase('postgres')
const peer = await benchPeer(pglite.slotCount)

const ratio = (a: number | undefined, b: number) => (a === undefined ? null : Math.round((a / b) * 10) / 10)
const result = {
  name: 'availability',
  description:
    '30-day availability of a ROUND_ROBIN calendar, 5 members × 2 conflict calendars × 2,000 events (10% recurring)',
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    loadAverageAtStart: loadAtStart.map((x) => Math.round(x * 100) / 100),
    loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
  },
  date: started.toISOString(),
  durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
  command: 'npx tsx bench/availability.bench.ts',
  workload: {
    members: MEMBERS,
    calendarsPerMember: CALENDARS_PER_MEMBER,
    eventsPerCalendar: EVENTS_PER_CALENDAR,
    recurringShare: RECURRING_SHARE,
    blockedSlotRows: pglite.blockedSlots,
    busyIntervals: pglite.busyIntervals,
    rangeDays: 30,
    cacheHorizonDays: pglite.cacheHorizonDays,
    slots: pglite.slotCount,
  },
  targets: {
    p50Ms: 10,
    p99Ms: 40,
    measure: 'getAvailability server time',
    steadyStateMoonshotP50Ms: 2,
    cacheMissP50Ms: 20,
  },
  pglite,
  postgres,
  peer,
  ratios: {
    peerP50OverPglite: ratio(peer.peer?.p50, pglite.service.p50),
    peerP50OverPostgres: ratio(peer.peer?.p50, postgres.service.p50),
    peerP50OverPgliteHttp: ratio(peer.peer?.p50, pglite.http.p50),
    peerP50OverPostgresHttp: ratio(peer.peer?.p50, postgres.http.p50),
    peerOneCalendarP50OverPglite: ratio(peer.oneCalendar.p50, pglite.service.p50),
    peerOneCalendarP50OverPostgres: ratio(peer.oneCalendar.p50, postgres.service.p50),
  },
  cacheMiss: {
    wholeWindowOverHorizonP50Pglite: ratio(pglite.nothingCachedWholeWindow.p50, pglite.nothingCached.p50),
    wholeWindowOverHorizonP50Postgres: ratio(postgres.nothingCachedWholeWindow.p50, postgres.nothingCached.p50),
    meetsTarget: { pglite: pglite.nothingCached.p50 <= 20, postgres: postgres.nothingCached.p50 <= 20 },
  },
  steadyStateMoonshot: { pglite: pglite.service.p50 <= 2, postgres: postgres.service.p50 <= 2 },
  meetsTargets: {
    pglite: pglite.service.p50 <= 10 && pglite.service.p99 <= 40,
    postgres: postgres.service.p50 <= 10 && postgres.service.p99 <= 40,
  },
}

const row = (name: string, s: Stats | null) =>
  s === null
    ? `| ${name} | — | not measured | | | | |`
    : `| ${name} | ${s.runs} | ${s.p50} | ${s.p90} | ${s.p95} | ${s.p99} | ${s.max} |`
const warmList = peer.warmup.map((w) => `${w.ms} ms`).join(', ')
const peerNote =
  peer.peer === null
    ? `Peer approach: ${peer.warmup.length} of 10 calendars were warmed within the warm-up budget (Radicale builds its item cache on the first REPORT of a calendar: ${warmList} per 2,000-event calendar), so the full 10-calendar peer request was NOT measured. Measured instead, at full size: one warm 2,000-event calendar (REPORT time-range + parse + expand) p50 ${peer.oneCalendar.p50} ms; a peer request needs 10 of these (5 members × 2 calendars). Ratio one calendar / ours p50: ${result.ratios.peerOneCalendarP50OverPglite}× (PGlite), ${result.ratios.peerOneCalendarP50OverPostgres}× (PostgreSQL).`
    : `Peer approach (10 warm calendars per request) p50 / ours p50: ${result.ratios.peerP50OverPglite}× (PGlite), ${result.ratios.peerP50OverPostgres}× (PostgreSQL); against our HTTP round trip ${result.ratios.peerP50OverPgliteHttp}× / ${result.ratios.peerP50OverPostgresHttp}×. Peer slots equal database slots: ${peer.matchesDatabase}. Warm-up (first REPORT per calendar, not timed): ${warmList}.`
const md = `# availability benchmark

${result.description}; ${result.workload.blockedSlotRows} blocked-slot rows in the database, ${result.workload.busyIntervals} busy intervals after normalising per member; ${result.workload.slots} slots per answer.

Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGb} GB, Node ${result.machine.node}, load average ${result.machine.loadAverageAtStart.join(' / ')} at the start and ${result.machine.loadAverageAtEnd.join(' / ')} at the end (1, 5 and 15 minutes). Date: ${result.date}, ${result.durationSeconds} s. Command: \`${result.command}\`.

| measurement (ms) | runs | p50 | p90 | p95 | p99 | max |
| --- | --- | --- | --- | --- | --- | --- |
${row('PGlite: getAvailability (server time)', pglite.service)}
${row('PGlite: getAvailability, one member changed since (re-read)', pglite.afterOneChange)}
${row(`PGlite: getAvailability, nothing cached (first request of a process; ${result.workload.cacheHorizonDays}-day horizon)`, pglite.nothingCached)}
${row('PGlite: nothing cached, 62-day horizon (the previous default)', pglite.nothingCachedPreviousHorizon)}
${row('PGlite: baseline: nothing cached, whole sync window read (before the horizon)', pglite.nothingCachedWholeWindow)}
${row('PGlite: HTTP round trip', pglite.http)}
${row('PGlite: loader (one SQL statement)', pglite.loader)}
${row('PostgreSQL: getAvailability (server time)', postgres.service)}
${row('PostgreSQL: getAvailability, one member changed since (re-read)', postgres.afterOneChange)}
${row(`PostgreSQL: getAvailability, nothing cached (first request of a process; ${result.workload.cacheHorizonDays}-day horizon)`, postgres.nothingCached)}
${row('PostgreSQL: nothing cached, 62-day horizon (the previous default)', postgres.nothingCachedPreviousHorizon)}
${row('PostgreSQL: baseline: nothing cached, whole sync window read (before the horizon)', postgres.nothingCachedWholeWindow)}
${row('PostgreSQL: HTTP round trip', postgres.http)}
${row('PostgreSQL: loader (one SQL statement)', postgres.loader)}
${row('Peer: one warm 2,000-event calendar on Radicale (REPORT + expand)', peer.oneCalendar)}
${row('Peer: live CalDAV request (10 calendars, REPORT + expand + slots)', peer.peer)}

Each process caches its members' busy time (scheduling/busyTimeCache.ts); the statement that loads an answer (the database function availability_input, prepared once per connection) reads the versions a database trigger keeps, and re-reads the blocked slots only of members whose version moved. The first row of each database is the steady state (nothing changed between answers); the "changed" and "nothing cached" rows are the misses. Before the runs the database is vacuumed (PostgreSQL: VACUUM ANALYZE, what autovacuum does to fresh rows within a minute or so; PGlite: the embedded-vacuum job's VACUUM, run at start and every 10 minutes), so the busy-time read is an index-only scan as on a settled server.

A cache miss reads each member's busy time from yesterday to AVAILABILITY_CACHE_HORIZON_DAYS (${result.workload.cacheHorizonDays}) days ahead (the "nothing cached" rows); the 62-day rows read the previous default horizon, the baseline rows the whole sync window, as a miss did before the horizon. Baseline p50 / horizon p50: ${result.cacheMiss.wholeWindowOverHorizonP50Pglite}× (PGlite), ${result.cacheMiss.wholeWindowOverHorizonP50Postgres}× (PostgreSQL). Cache-miss target p50 ≤ 20 ms: PGlite ${result.cacheMiss.meetsTarget.pglite ? 'met' : 'NOT met'}, PostgreSQL ${result.cacheMiss.meetsTarget.postgres ? 'met' : 'NOT met'}. Steady-state moonshot p50 ≤ 2 ms: PGlite ${result.steadyStateMoonshot.pglite ? 'met' : 'NOT met'}, PostgreSQL ${result.steadyStateMoonshot.postgres ? 'met' : 'NOT met'}.

Targets (getAvailability server time): p50 ≤ 10 ms, p99 ≤ 40 ms — PGlite ${result.meetsTargets.pglite ? 'met' : 'NOT met'}, PostgreSQL ${result.meetsTargets.postgres ? 'met' : 'NOT met'}.

${peerNote}
`

await mkdir(path.join(directory, 'results'), { recursive: true })
await writeFile(path.join(directory, 'results', 'availability.json'), JSON.stringify(result, null, 2) + '\n')
await writeFile(path.join(directory, 'results', 'availability.md'), md)
console.log(md)
process.exit(0)
