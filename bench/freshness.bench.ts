// `npx tsx bench/freshness.bench.ts`: how many integrations (3 unchanged conflict calendars each) one worker process
// keeps synced within a 30 s tick when every CalDAV answer takes 150 ms, written to bench/results/freshness.json and
// freshness.md. Against, in the same run, the engine's old sequential configuration (4 integrations at once, their
// calendars one after another, every run a full run). Also: database statements per unchanged sync (every statement
// the worker's pg connections send, counted client-side), CPU per sync split between the worker, the CalDAV server
// (its own process) and the PostgreSQL backends of the worker's connections (/proc). FRESHNESS_BASELINE=0 skips the
// baseline and writes nothing; FRESHNESS_CPU_PROF=file writes the worker's CPU profile of the scheduled phase.
import { fork, type ChildProcess } from 'node:child_process'
import { writeFile, mkdir } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { Services } from '../src/app/services.ts'
import { claimDueIntegrations } from '../src/sync/lease.ts'
import { createSyncScheduler } from '../src/sync/scheduler.ts'
import { startClaimed } from '../src/sync/syncIntegration.ts'
import { CALENDARS_PER_INTEGRATION, seedFreshness } from './support/freshnessSeed.ts'
import { backendPids, CpuMeter, processCpuMs } from './support/processCpu.ts'
import { openBenchServices } from './support/syncBenchSetup.ts'

const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
// The worker's connections name themselves, so their backends' CPU can be read from /proc.
const APPLICATION_NAME = 'freshness_worker'
const BASELINE = process.env.FRESHNESS_BASELINE !== '0'
/** Writes a CPU profile (.cpuprofile) of the worker over the scheduled phase. */
const CPU_PROFILE = process.env.FRESHNESS_CPU_PROF
const INTEGRATIONS = Number(process.env.FRESHNESS_INTEGRATIONS ?? 20_000)
const CONCURRENCY = Number(process.env.FRESHNESS_CONCURRENCY ?? 1_000)
const LATENCY_MS = 150
const TICK_MS = 30_000
const TARGET = { integrations: 10_000, statements: 3 }
const COMMAND = 'npx tsx bench/freshness.bench.ts'
const here = path.dirname(fileURLToPath(import.meta.url))
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d

// Every statement any pg connection of this process sends (Prisma's queries, BEGIN/COMMIT, raw SQL).
let statements = 0
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with apply(this) below
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++
  return query.apply(this, args)
} as typeof pg.Client.prototype.query

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(here, 'support/slowCalDav.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LATENCY_MS: String(LATENCY_MS) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())),
  )
  return { child, url: `http://127.0.0.1:${port}/` }
}

function withSync(services: Services, sync: Partial<Services['config']['sync']>): Services {
  return { ...services, config: { ...services.config, sync: { ...services.config.sync, ...sync } } }
}

interface Phase {
  name: string
  synced: number
  statementsPerSync: number
  cpuMsPerSync: number
  /** CPU per sync of the loopback CalDAV server process and of the PostgreSQL backends serving the worker. */
  serverCpuMsPerSync: number
  postgresCpuMsPerSync: number
  /** The worker's event-loop delay (ms): how long ready work waited for the thread (CPU starvation shows here). */
  eventLoopDelayMs: { p50: number; p99: number }
  /** Wall time until the last of the phase's syncs (capped by the tick). */
  wallMs: number
}

interface Bench {
  services: Services
  serverPid: number
}

async function measure(bench: Bench, name: string, run: (deadline: number) => Promise<void>): Promise<Phase> {
  const { services } = bench
  await services.prisma
    .$executeRaw`UPDATE "Integration" SET "nextSyncAt" = now(), "leaseOwner" = NULL, "leaseUntil" = NULL`
  await services.prisma.$executeRaw`DELETE FROM "SyncRun"`
  const postgres = new CpuMeter(await backendPids(services.prisma, APPLICATION_NAME))
  const serverBefore = processCpuMs(bench.serverPid)
  const startedAt = new Date()
  const cpu = process.cpuUsage()
  const before = statements
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  await run(Date.now() + TICK_MS)
  delay.disable()
  const used = process.cpuUsage(cpu)
  const spent = statements - before
  const serverMs = processCpuMs(bench.serverPid) - serverBefore
  const postgresMs = postgres.spentMs(await backendPids(services.prisma, APPLICATION_NAME))
  const [row] = await services.prisma.$queryRaw<{ synced: bigint; last: Date | null }[]>`
    SELECT count(*) AS synced, max("finishedAt") AS last FROM "SyncRun"
    WHERE "outcome"::text = 'SUCCESS' AND "finishedAt" <= ${new Date(startedAt.getTime() + TICK_MS)}`
  const all = Math.max(1, await services.prisma.syncRun.count({ where: { outcome: 'SUCCESS' } }))
  return {
    name,
    synced: Number(row!.synced),
    statementsPerSync: round(spent / all, 2),
    cpuMsPerSync: round((used.user + used.system) / 1000 / all, 2),
    serverCpuMsPerSync: round(serverMs / all, 2),
    postgresCpuMsPerSync: round(postgresMs / all, 2),
    eventLoopDelayMs: { p50: round(delay.percentile(50) / 1e6), p99: round(delay.percentile(99) / 1e6) },
    wallMs: row!.last ? row!.last.getTime() - startedAt.getTime() : 0,
  }
}

/** The old engine: a tick claims 4, syncs each fully with its calendars in turn; here claiming again at once. */
async function sequential(services: Services, deadline: number) {
  const old = withSync(services, { concurrency: 4, calendarConcurrency: 1 })
  while (Date.now() < deadline) {
    const claimed = await claimDueIntegrations(old, 4)
    if (claimed.length === 0) break
    await Promise.all(
      claimed.map(async (c) => {
        const start = await startClaimed(old, c.id, 'CRON')
        if (start.started) await start.done
      }),
    )
  }
}

/** The scheduler as a worker runs it, for one tick; then it stops (letting checks in flight finish). */
async function scheduled(services: Services, deadline: number) {
  const worker = createSyncScheduler(withSync(services, { concurrency: CONCURRENCY, intervalSeconds: 30 }))
  worker.start()
  const progress = setInterval(() => {
    void services.prisma.syncRun.count({ where: { outcome: 'SUCCESS' } }).then((n) => console.log(`  ${n} synced`))
  }, 5_000)
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())))
  clearInterval(progress)
  await worker.stop()
}

async function main() {
  const load: number[] = [os.loadavg()[0]!]
  const server = await startServer()
  const schema = `bench_freshness_${process.pid}`
  const databaseUrl = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}application_name=${APPLICATION_NAME}`
  const { services, close } = await openBenchServices({ serverUrl: server.url, databaseUrl, schema })
  const bench = { services, serverPid: server.child.pid! }
  try {
    await seedFreshness(services, server.url, INTEGRATIONS)
    console.log(`seeded ${INTEGRATIONS} integrations × ${CALENDARS_PER_INTEGRATION} calendars`)
    const baseline = BASELINE
      ? await measure(bench, 'sequential (old configuration)', (d) => sequential(services, d))
      : null
    if (baseline) console.log(baseline)
    const fresh = await measure(bench, `parallel, SYNC_CONCURRENCY=${CONCURRENCY}`, (d) =>
      profiled(() => scheduled(services, d)),
    )
    console.log(fresh)
    load.push(os.loadavg()[0]!)
    console.log(`load average (1 min): ${load.map((x) => round(x, 2)).join(' → ')}`)
    if (baseline) await write(baseline, fresh, load, services.config.caldavConnectionsPerHost)
  } finally {
    await services.prisma.$executeRawUnsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {})
    await close()
    server.child.kill('SIGTERM')
  }
}

/** FRESHNESS_CPU_PROF=file: the worker's CPU profile over `work`, for Chrome DevTools or speedscope. */
async function profiled(work: () => Promise<void>) {
  if (!CPU_PROFILE) return work()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  try {
    await work()
  } finally {
    const { profile } = await session.post('Profiler.stop')
    await writeFile(CPU_PROFILE, JSON.stringify(profile))
    session.disconnect()
  }
}

interface Limits {
  /** Per 30 s, if the worker's main thread had one core to itself (its CPU per sync alone). */
  workerThread: number
  /** Per 30 s, if worker, loopback server and PostgreSQL shared the machine's cores and nothing else ran. */
  allCores: number
  /** Per 30 s through one host's connection pool: sockets × tick / (latency × requests per integration). */
  hostPool: number
}

function limits(fresh: Phase, connectionsPerHost: number): Limits {
  const perSync = fresh.cpuMsPerSync + fresh.serverCpuMsPerSync + fresh.postgresCpuMsPerSync
  return {
    workerThread: Math.round(TICK_MS / fresh.cpuMsPerSync),
    allCores: Math.round((os.cpus().length * TICK_MS) / perSync),
    hostPool: Math.round((connectionsPerHost * TICK_MS) / (LATENCY_MS * CALENDARS_PER_INTEGRATION)),
  }
}

async function write(baseline: Phase, fresh: Phase, load: number[], connectionsPerHost: number) {
  const machine = `${os.cpus()[0]?.model.trim()}, ${os.cpus().length} cores, ${round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`
  const result = {
    date: new Date().toISOString(),
    machine,
    command: COMMAND,
    loadAverage1m: { start: load[0], end: load[1] },
    setup: {
      integrations: INTEGRATIONS,
      calendarsEach: CALENDARS_PER_INTEGRATION,
      latencyMs: LATENCY_MS,
      tickMs: TICK_MS,
      connectionsPerHost,
    },
    target: TARGET,
    baseline,
    fresh,
    ratio: round(fresh.synced / Math.max(1, baseline.synced)),
    limits: limits(fresh, connectionsPerHost),
  }
  await mkdir(path.join(here, 'results'), { recursive: true })
  await writeFile(path.join(here, 'results/freshness.json'), `${JSON.stringify(result, null, 2)}\n`)
  await writeFile(path.join(here, 'results/freshness.md'), markdown(result))
}

function markdown(r: {
  date: string
  machine: string
  loadAverage1m: { start?: number; end?: number }
  setup: { connectionsPerHost: number }
  baseline: Phase
  fresh: Phase
  ratio: number
  limits: Limits
}): string {
  const { fresh, baseline, limits: l } = r
  const row = (measure: string, of: (p: Phase) => number | string, target = '', ratio = '') =>
    `| ${measure} | ${of(fresh)} | ${target} | ${of(baseline)} | ${ratio} |`
  return [
    '# Freshness benchmark',
    '',
    `${r.machine}; ${r.date}.`,
    `Load average (1 min) ${round(r.loadAverage1m.start ?? 0, 2)} at the start, ${round(r.loadAverage1m.end ?? 0, 2)} at the end (other work shares this machine).`,
    `Command: \`${COMMAND}\`. ${INTEGRATIONS} integrations × ${CALENDARS_PER_INTEGRATION} conflict calendars, all unchanged and due (more than a tick can check, so the figure is the capacity); a loopback CalDAV server in its own process answers every request ${LATENCY_MS} ms late; PostgreSQL on loopback; CALDAV_CONNECTIONS_PER_HOST=${r.setup.connectionsPerHost} (default).`,
    '',
    `| Measure | ${fresh.name} | Target | Baseline: ${baseline.name} | Ratio |`,
    '| --- | --- | --- | --- | --- |',
    row('Integrations synced within one 30 s tick', (p) => p.synced, `≥ ${TARGET.integrations}`, `×${r.ratio}`),
    row('Database statements per unchanged sync', (p) => p.statementsPerSync, `≤ ${TARGET.statements}`),
    row('Worker CPU per sync (ms)', (p) => p.cpuMsPerSync),
    row('Loopback CalDAV server CPU per sync (ms)', (p) => p.serverCpuMsPerSync),
    row("PostgreSQL CPU per sync (ms, the worker's backends)", (p) => p.postgresCpuMsPerSync),
    row('Worker event-loop delay p50 / p99 (ms)', (p) => `${p.eventLoopDelayMs.p50} / ${p.eventLoopDelayMs.p99}`),
    '',
    `Baseline: the old configuration (4 integrations at once, calendars one after another, every run a full run with a SyncRun created up front), claiming again as soon as a batch finishes — more than the old scheduler did, which claimed only at the tick. Statements are every statement the worker's pg connections sent during the phase (BEGIN/COMMIT included), divided by the syncs it completed; CPU is user + system time from /proc (the worker: process.cpuUsage) over the same. Last sync of the phase finished ${round(fresh.wallMs / 1000)} s after its start (baseline ${round(baseline.wallMs / 1000)} s).`,
    '',
    `What bounds the figure, from the measured costs: the worker's thread alone would carry ${l.workerThread} per 30 s (30 s / ${fresh.cpuMsPerSync} ms); worker, server and PostgreSQL together (${round(fresh.cpuMsPerSync + fresh.serverCpuMsPerSync + fresh.postgresCpuMsPerSync, 2)} ms per sync) fit ${l.allCores} into ${os.cpus().length} cores × 30 s; one host's pool of ${r.setup.connectionsPerHost} keep-alive connections carries at most ${l.hostPool} (${r.setup.connectionsPerHost} × 30 s / (${LATENCY_MS} ms × ${CALENDARS_PER_INTEGRATION} requests)). The bench puts every integration on one loopback host; iCloud spreads accounts over many partition hosts, each with its own pool.`,
    '',
  ].join('\n')
}

await main()
