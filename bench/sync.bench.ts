// `npx tsx --expose-gc bench/sync.bench.ts`: sync engine figures against Radicale, written to bench/results/sync.json
// and sync.md. Each figure comes with its target and a baseline measured in the same run:
//  - pipeline (parse + expand + store from fixture data, no CalDAV): vs parse + expand alone; PGlite and PostgreSQL;
//  - initial sync of 5,000 events end to end (PGlite in memory): vs the server alone serving the same requests;
//  - peak RSS of an initial sync of 20,000 events, in a child process that does nothing else (database PostgreSQL, so
//    the figure is the engine's, and PGlite on disk, the whole embedded app): vs that process idle before the sync.
// `--rss-child` is that child mode.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { Services } from '../src/app/services.ts'
import { CalDavClient } from '../src/caldav/index.ts'
import { syncIntegration } from '../src/sync/index.ts'
import { ChangedRange, findCrmAppointments, prepareObject, writeObjects } from '../src/sync/objectSlots.ts'
import { WRITE_BATCH } from '../src/sync/syncIntegration.ts'
import { computeWindow } from '../src/sync/window.ts'
import { createSubaccount, createUser } from '../test/support/factories.ts'
import {
  addRadicaleLogin,
  createIntegrationFixture,
  seedRadicaleEvents,
  type SyncServer,
} from '../test/support/integrationFixtures.ts'
import {
  benchEvent,
  benchSecrets,
  openBenchServices,
  seededIntegration,
  startBenchEnv,
  type BenchEnv,
} from './support/syncBenchSetup.ts'
import { measureWorkerRss, productionNodeArgs } from './support/workerRss.ts'

const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const RSS_EVENTS = 20_000
// Recorded by this bench before the batched write path (commit 851f39f, same machine, PGlite in memory).
const BEFORE = { pipelineEventsPerSecond: 790, initialRatio: 3.32, peakRssMb: 1004.6 }

const here = path.dirname(fileURLToPath(import.meta.url))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d

async function sync(env: BenchEnv, integrationId: string) {
  const started = performance.now()
  const result = await syncIntegration(env.services, integrationId, 'MANUAL')
  const totalMs = performance.now() - started
  if (!result || (result.outcome !== 'SUCCESS' && result.outcome !== 'PARTIAL')) {
    throw new Error(`sync failed: ${JSON.stringify(result)}`)
  }
  return { ...result, totalMs, engineMs: totalMs - result.requestMs }
}

/** Makes the next run an initial sync again (objects gone, token forgotten). */
async function forget(env: BenchEnv, integrationId: string, calendarId: string) {
  await env.services.prisma.calendarObject.deleteMany({ where: { calendarId } })
  await env.services.prisma.calendar.update({
    where: { id: calendarId },
    data: { syncToken: null, ctag: null, lastSyncedAt: null },
  })
  await env.services.prisma.integration.update({ where: { id: integrationId }, data: { nextSyncAt: new Date() } })
}

/** What the server alone needs to serve the calendar: the listing plus every multiget batch, no processing. */
async function serveOnly(env: BenchEnv, login: { username: string; password: string }, url: string) {
  const client = new CalDavClient({ serverUrl: env.server.serverUrl, credentials: login, timeoutMs: 1_800_000 })
  const started = performance.now()
  const listing = await client.syncCollection(url, null)
  const hrefs = listing.changed.map((c) => c.href)
  for (let i = 0; i < hrefs.length; i += 100) await client.multiget(url, hrefs.slice(i, i + 100), 100)
  return performance.now() - started
}

type Seeded = Awaited<ReturnType<typeof seededIntegration>>

/** Edits one event on the server and syncs: the cost of one change. */
async function changeOne(env: BenchEnv, fx: Seeded, round: number) {
  const { file, ics } = benchEvent(round * 7 + 3)
  // Same href and UID as the seeded event, new content.
  await fx.login.put(fx.url, file, ics.replace(/SUMMARY:Meeting \d+/, `SUMMARY:Edited ${round}`))
  const result = await sync(env, fx.integrationId)
  if (result.counters.objectsFetched !== 1) throw new Error(`expected 1 fetched, got ${result.counters.objectsFetched}`)
  return result
}

/**
 * One change in each calendar, `rounds` times, alternating between them so that the machine's drift hits both alike
 * (the figures are tens of milliseconds); medians.
 */
async function oneChange(env: BenchEnv, small: Seeded, large: Seeded, rounds: number) {
  const runs = { small: [] as Awaited<ReturnType<typeof sync>>[], large: [] as Awaited<ReturnType<typeof sync>>[] }
  for (let r = 0; r < rounds; r++) {
    runs.small.push(await changeOne(env, small, r))
    runs.large.push(await changeOne(env, large, r))
  }
  const summary = (list: Awaited<ReturnType<typeof sync>>[]) => ({
    requests: Math.max(...list.map((r) => r.requestCount)),
    engineMs: median(list.map((r) => r.engineMs)),
    totalMs: median(list.map((r) => r.totalMs)),
  })
  return { small: summary(runs.small), large: summary(runs.large) }
}

type Fixture = { href: string; etag: string; data: string }

/** The engine's store step, exactly as calendarSync runs it: CRM lookup, then one transaction per write batch. */
async function store(
  services: Services,
  prepared: ReturnType<typeof prepareObject>[],
  calendarId: string,
  owner: Owner,
) {
  const crm = await findCrmAppointments(
    services.prisma,
    owner.userId,
    prepared.flatMap((p) => p.uids),
  )
  const written = await services.prisma.$transaction((tx) =>
    writeObjects(tx, prepared, { id: calendarId, blocking: true }, owner, crm, new ChangedRange(), services.crmEvents),
  )
  return written.slotsWritten
}
type Owner = { userId: string; subaccountId: string }

/** Parse + expand + store `fixtures` into a calendar with no objects (as an initial sync does); median of 3. */
async function pipeline(
  services: Services,
  target: { calendarId: string; owner: Owner },
  fixtures: Fixture[],
  expand: Parameters<typeof prepareObject>[1],
) {
  const runs: { ms: number; slots: number }[] = []
  for (let r = 0; r < 3; r++) {
    await services.prisma.calendarObject.deleteMany({ where: { calendarId: target.calendarId } })
    global.gc?.()
    const started = performance.now()
    let slots = 0
    for (let i = 0; i < fixtures.length; i += WRITE_BATCH) {
      const prepared = fixtures.slice(i, i + WRITE_BATCH).map((f) => prepareObject(f, expand))
      slots += await store(services, prepared, target.calendarId, target.owner)
    }
    runs.push({ ms: performance.now() - started, slots })
  }
  const ms = median(runs.map((r) => r.ms))
  return { ms: round(ms), slots: runs[0]!.slots, eventsPerSecond: Math.round((fixtures.length / ms) * 1000) }
}

function parseExpandOnly(fixtures: Fixture[], expand: Parameters<typeof prepareObject>[1]) {
  const runs: number[] = []
  for (let r = 0; r < 3; r++) {
    global.gc?.()
    const started = performance.now()
    let n = 0
    for (const f of fixtures) n += prepareObject(f, expand).occurrences.length
    if (n === 0) throw new Error('nothing expanded')
    runs.push(performance.now() - started)
  }
  const ms = median(runs)
  return { ms: round(ms), eventsPerSecond: Math.round((fixtures.length / ms) * 1000) }
}

async function newPostgresSchema(name: string) {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)
  await client.query(`CREATE SCHEMA "${name}"`)
  await client.end()
  return async () => {
    const c = new pg.Client({ connectionString: POSTGRES_URL })
    await c.connect()
    await c.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)
    await c.end()
  }
}

/** An integration of a fresh user with `login`'s calendar as conflict calendar, in `services`' database. */
async function integrationIn(services: Services, login: SyncServer, url: string) {
  const subaccount = await createSubaccount(services)
  const user = await createUser(services, subaccount.id, { timeZone: 'Europe/Berlin' })
  const fx = await createIntegrationFixture(services, user, login, { conflicts: [url] })
  return {
    integrationId: fx.integrationId,
    calendarId: fx.calendarIds.get(url)!,
    owner: { userId: user.id, subaccountId: user.subaccountId },
  }
}

/** A fresh PostgreSQL database (the worker runs in its public schema, as a deployment would); returns a dropper. */
async function newPostgresDatabase(name: string) {
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await admin(`DROP DATABASE IF EXISTS "${name}"`)
  await admin(`CREATE DATABASE "${name}"`)
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) }
}

// The worker starts, runs idle ticks, and the integration falls due this long after it was created.
const WORKER_IDLE_MS = 8000

/** Prepares an integration in `target` (migrated by the parent, so the worker skips the schema engine), due soon. */
async function prepareWorkerIntegration(
  target: Parameters<typeof openBenchServices>[0],
  login: SyncServer,
  url: string,
) {
  const opened = await openBenchServices(target)
  try {
    const fx = await integrationIn(opened.services, login, url)
    const dueAt = Date.now() + WORKER_IDLE_MS
    await opened.services.prisma.integration.update({
      where: { id: fx.integrationId },
      data: { nextSyncAt: new Date(dueAt) },
    })
    return dueAt
  } finally {
    await opened.close()
  }
}

async function rssBench(env: BenchEnv) {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: path.join(here, '..'), stdio: 'inherit' })
  const login = await addRadicaleLogin(env.server, 'rss@bench.example', 'pw-rss')
  const url = await login.makeCalendar('rss')
  await seedRadicaleEvents(login, url, RSS_EVENTS, (i) => benchEvent(i))
  // Warm Radicale's item cache (its first listing hashes every file): the worker is measured, not that.
  const serverAloneMs = await serveOnly(env, { username: login.username, password: login.password }, url)
  const workerEnv = { ...benchSecrets, ICLOUD_CALDAV_URL: env.server.serverUrl }

  // The worker on a fresh PostgreSQL database, with the node options a deployment uses or others.
  const onPostgres = async (name: string, nodeArgs?: string[]) => {
    const database = await newPostgresDatabase(name)
    try {
      const target = { serverUrl: env.server.serverUrl, databaseUrl: database.url }
      const dueAt = await prepareWorkerIntegration(target, login, url)
      return await measureWorkerRss({ ...workerEnv, DATABASE_URL: database.url }, dueAt, nodeArgs)
    } finally {
      await database.drop()
    }
  }
  const postgres = await onPostgres(`bench_sync_rss_${process.pid}`)
  // Baseline in the same run: the same worker with node's default heap tuning (no --optimize-for-size).
  const postgresDefaultFlags = await onPostgres(`bench_sync_rss_plain_${process.pid}`, [])

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-sync-rss-'))
  let pglite
  try {
    const dueAt = await prepareWorkerIntegration({ serverUrl: env.server.serverUrl, dataDir }, login, url)
    pglite = await measureWorkerRss({ ...workerEnv, DATA_DIR: dataDir }, dueAt)
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
  for (const run of [postgres, postgresDefaultFlags, pglite]) {
    if (run.objectsFetched !== RSS_EVENTS) throw new Error(`worker synced ${run.objectsFetched} of ${RSS_EVENTS}`)
  }
  return {
    events: RSS_EVENTS,
    serverAloneMs: round(serverAloneMs),
    nodeArgs: productionNodeArgs(),
    postgres,
    postgresDefaultFlags,
    pgliteOnDisk: pglite,
  }
}

async function main() {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null
  const loadBefore = os.loadavg()

  const env = await startBenchEnv()
  if (only === 'rss') {
    console.log(JSON.stringify(await rssBench(env), null, 2))
    return env.close()
  }
  const previous = await readFile(path.join(here, 'results', 'sync.json'), 'utf8').catch(() => null)
  try {
    // Pipeline (parse + expand + store) from fixture data, no CalDAV.
    const pipe = await seededIntegration(env, 'pipeline', 0)
    const integration = await env.services.prisma.integration.findUniqueOrThrow({ where: { id: pipe.integrationId } })
    const owner = { userId: integration.userId, subaccountId: integration.subaccountId }
    const window = computeWindow(env.services.config)
    const expand = {
      windowStart: window.start,
      windowEnd: window.end,
      defaultTimeZone: 'Europe/Berlin',
      ownerEmails: [integration.appleId],
    }
    const fixtures: Fixture[] = Array.from({ length: 5000 }, (_, i) => {
      const { file, ics } = benchEvent(i, 'pipe')
      return { href: `${new URL(pipe.url).pathname}${file}`, etag: `"${i}"`, data: ics }
    })
    const parseOnly = parseExpandOnly(fixtures, expand)
    const pipePglite = await pipeline(env.services, { calendarId: pipe.calendarId, owner }, fixtures, expand)
    const pgSchema = `bench_sync_pipe_${process.pid}`
    const dropPgSchema = await newPostgresSchema(pgSchema)
    let pipePostgres
    try {
      const opened = await openBenchServices({
        serverUrl: env.server.serverUrl,
        databaseUrl: POSTGRES_URL,
        schema: pgSchema,
      })
      try {
        const fx = await integrationIn(opened.services, pipe.login, pipe.url)
        pipePostgres = await pipeline(opened.services, fx, fixtures, expand)
      } finally {
        await opened.close()
      }
    } finally {
      await dropPgSchema()
    }
    if (only === 'pipeline') {
      console.log(JSON.stringify({ parseOnly, pipePglite, pipePostgres }, null, 2))
      return
    }

    const small = await seededIntegration(env, 'cal500', 500)
    const large = await seededIntegration(env, 'cal5000', 5000)
    // Warm Radicale's item cache for both (its first listing hashes every file), outside every measurement.
    await serveOnly(env, small.login, small.url)
    await serveOnly(env, large.login, large.url)

    // Initial sync end to end vs the server alone, in back-to-back pairs (Radicale's speed drifts by ±20% between
    // runs here, so each sync is compared with the serving just before it); median of 7 pairs.
    const serverAlone: number[] = []
    const initial: number[] = []
    let initialRequests = 0
    for (let r = 0; r < 7; r++) {
      serverAlone.push(await serveOnly(env, large.login, large.url))
      await forget(env, large.integrationId, large.calendarId)
      global.gc?.()
      const result = await sync(env, large.integrationId)
      if (result.counters.objectsFetched !== 5000)
        throw new Error(`initial sync fetched ${result.counters.objectsFetched}`)
      initial.push(result.totalMs)
      initialRequests = result.requestCount
    }
    await sync(env, small.integrationId)
    if (only === 'initial') {
      console.log(JSON.stringify({ serverAlone, initial }, null, 2))
      return
    }

    // Unchanged calendars.
    const unchanged5000 = await sync(env, large.integrationId)
    const unchanged500 = await sync(env, small.integrationId)

    // One change.
    const changes = await oneChange(env, small, large, 15)
    const change500 = changes.small
    const change5000 = changes.large

    // Peak RSS of a 20,000-event initial sync, in fresh processes.
    const rss = await rssBench(env)
    const loadAfter = os.loadavg()

    const results = {
      machine: {
        cpu: os.cpus()[0]?.model,
        cores: os.cpus().length,
        memoryGb: round(os.totalmem() / 2 ** 30),
        node: process.version,
        loadAverage1mBefore: round(loadBefore[0]!, 2),
        loadAverage1mAfter: round(loadAfter[0]!, 2),
      },
      date: new Date().toISOString(),
      command: 'npx tsx --expose-gc bench/sync.bench.ts',
      server: 'Radicale 3.1.8 on loopback; database PGlite in memory unless stated',
      before: BEFORE,
      unchanged: {
        events5000Requests: unchanged5000.requestCount,
        events500Requests: unchanged500.requestCount,
        events5000Ms: round(unchanged5000.totalMs),
      },
      oneChange: {
        events500: {
          requests: change500.requests,
          engineMs: round(change500.engineMs),
          totalMs: round(change500.totalMs),
        },
        events5000: {
          requests: change5000.requests,
          engineMs: round(change5000.engineMs),
          totalMs: round(change5000.totalMs),
        },
        engineRatio5000to500: round(change5000.engineMs / change500.engineMs, 2),
      },
      initialSync5000: {
        requests: initialRequests,
        serverAloneMs: round(median(serverAlone)),
        endToEndMs: round(median(initial)),
        ratio: round(median(initial.map((ms, i) => ms / serverAlone[i]!)), 2),
        runsMs: initial.map((x) => round(x)),
        serverAloneRunsMs: serverAlone.map((x) => round(x)),
      },
      pipeline: {
        events: fixtures.length,
        writeBatch: WRITE_BATCH,
        parseExpandOnly: parseOnly,
        pglite: { ...pipePglite, ratioToParseExpand: round(pipePglite.eventsPerSecond / parseOnly.eventsPerSecond, 2) },
        postgres: {
          ...pipePostgres,
          ratioToParseExpand: round(pipePostgres.eventsPerSecond / parseOnly.eventsPerSecond, 2),
        },
      },
      rss20000: rss,
    }
    const x = (n: number) => `×${n}`
    const targets = [
      [
        'Unchanged 5,000-event calendar: requests per sync',
        `${results.unchanged.events5000Requests}`,
        '1',
        '500 events: ' + results.unchanged.events500Requests,
      ],
      ['One change, 5,000 events: requests', `${change5000.requests}`, '≤ 3', '500 events: ' + change500.requests],
      [
        'One change: engine time 5,000 vs 500 events',
        `${results.oneChange.events5000.engineMs} ms`,
        '≤ ×1.5',
        `500 events: ${results.oneChange.events500.engineMs} ms (${x(results.oneChange.engineRatio5000to500)})`,
      ],
      [
        'Pipeline parse + expand + store, PGlite in memory',
        `${results.pipeline.pglite.eventsPerSecond} events/s`,
        '≥ 2,000/s',
        `parse + expand alone: ${parseOnly.eventsPerSecond}/s (${x(results.pipeline.pglite.ratioToParseExpand)}); before: ${BEFORE.pipelineEventsPerSecond}/s`,
      ],
      [
        'Pipeline parse + expand + store, PostgreSQL',
        `${results.pipeline.postgres.eventsPerSecond} events/s`,
        '≥ 2,000/s',
        `parse + expand alone: ${parseOnly.eventsPerSecond}/s (${x(results.pipeline.postgres.ratioToParseExpand)})`,
      ],
      [
        'Initial sync 5,000 events end to end',
        `${results.initialSync5000.endToEndMs} ms`,
        '≤ ×1.5 server alone',
        `server alone: ${results.initialSync5000.serverAloneMs} ms (median of the pairs' ratios ${x(results.initialSync5000.ratio)}); before: ×${BEFORE.initialRatio}`,
      ],
      [
        'Peak RSS, initial sync of 20,000 events (worker process, PostgreSQL)',
        `${rss.postgres.peakMb} MB`,
        '≤ 300 MB',
        `same worker idle: ${rss.postgres.idleMb} MB (+${round(rss.postgres.peakMb - rss.postgres.idleMb)} MB); same worker without ${rss.nodeArgs.join(' ')}: ${rss.postgresDefaultFlags.peakMb} MB (×${round(rss.postgres.peakMb / rss.postgresDefaultFlags.peakMb, 2)}), sync ${rss.postgresDefaultFlags.syncMs} ms vs ${rss.postgres.syncMs} ms; before: ${BEFORE.peakRssMb} MB (bench process with in-memory PGlite)`,
      ],
      [
        'Peak RSS, initial sync of 20,000 events (worker process with embedded PGlite on disk)',
        `${rss.pgliteOnDisk.peakMb} MB`,
        '≤ 300 MB',
        `same process idle: ${rss.pgliteOnDisk.idleMb} MB (×${round(rss.pgliteOnDisk.peakMb / rss.pgliteOnDisk.idleMb, 2)}, +${round(rss.pgliteOnDisk.peakMb - rss.pgliteOnDisk.idleMb)} MB)`,
      ],
    ]
    const md = [
      '# Sync engine benchmark',
      '',
      `${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGb} GB, Node ${results.machine.node}; ${results.date}.`,
      `Load average (1 min) ${results.machine.loadAverage1mBefore} at the start, ${results.machine.loadAverage1mAfter} at the end (other work shares this machine).`,
      `Command: \`${results.command}\`. ${results.server}. Engine time = run time minus the summed CalDAV request time.`,
      '',
      '| Measure | Result | Target | Baseline (same run) and before |',
      '| --- | --- | --- | --- |',
      ...targets.map((row) => `| ${row.join(' | ')} |`),
      '',
      `Pipeline: ${fixtures.length} fixture events (${results.pipeline.pglite.slots} slots), prepared and stored in transactions of ${WRITE_BATCH} exactly as the engine does (CRM lookup, object upsert, slot insert), into a calendar with no objects; median of 3. Parse + expand alone: ${parseOnly.ms} ms; store included: PGlite ${results.pipeline.pglite.ms} ms, PostgreSQL ${results.pipeline.postgres.ms} ms.`,
      '',
      `Initial sync of 5,000 events: ${initialRequests} CalDAV requests (sync-collection + multiget batches of 100, two in flight, running up to two write batches ahead of the store). Runs: ${results.initialSync5000.runsMs.join(', ')} ms; server alone: ${results.initialSync5000.serverAloneRunsMs.join(', ')} ms.`,
      '',
      `RSS: the production worker (\`npm run build\`, then \`npm run start:worker\`: ROLE=worker, node ${rss.nodeArgs.join(' ')}, ticking every second, every background job running) starts on a migrated database; ${WORKER_IDLE_MS / 1000} s later its cron tick claims an integration with ${RSS_EVENTS.toLocaleString('en')} events and syncs it (${rss.postgres.slotsWritten} slots, ${rss.postgres.requests} requests). Peak = the worker's VmHWM after the sync, its lifetime peak (sampled from outside every 20 ms: PostgreSQL ${rss.postgres.sampledPeakMb} MB, PGlite ${rss.pgliteOnDisk.sampledPeakMb} MB); idle = its RSS just before the integration fell due. Sync time (due → finished): PostgreSQL ${rss.postgres.syncMs} ms, PGlite on disk ${rss.pgliteOnDisk.syncMs} ms; Radicale's first (cold-cache) serving of the 20,000, the warm-up before the workers, took ${rss.serverAloneMs} ms.`,
      '',
    ].join('\n')
    void previous
    await mkdir(path.join(here, 'results'), { recursive: true })
    await writeFile(path.join(here, 'results', 'sync.json'), JSON.stringify(results, null, 2) + '\n')
    await writeFile(path.join(here, 'results', 'sync.md'), md)
    console.log(md)
  } finally {
    await env.close()
  }
}

await main()
