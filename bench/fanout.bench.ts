// Live availability fan-out, measured from outside: one server process (PGlite), graphql-ws clients in a separate
// process (one connection per subscriber, as booking widgets would open them), changes made with the
// createBlockedSlot mutation over HTTP. Delay = the mutation being sent → a subscriber's push arriving.
//   A. 1,000 subscribers of one calendar: subscribing them, then 3 changes one after another.
//   B. 10,000 subscribers over 100 calendars: one change each on 10 calendars at once, 2 rounds.
//   P. 1,000 public subscribers (publicAvailabilityChanged, the booking widget's) of one published calendar, 3 changes.
//   Baselines in the same run, each a git checkout: A on the code before shared feeds (FANOUT_BASELINE_REV), where
//   each subscriber computed its own availability; P on the code before public subscribers shared feeds
//   (FANOUT_PUBLIC_BASELINE_REV).
//
//   npx tsx bench/fanout.bench.ts        (or npm run bench fanout)
import { execSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DateTime } from 'luxon'
import { startChild, type ChildRpc } from './support/childRpc.ts'
import type { SubscriberSpec } from './support/fanoutClients.ts'
import { postGraphql } from './support/graphqlHttp.ts'
import { machineLine, machineRecord, stats, type Stats } from './support/report.ts'

const directory = path.dirname(fileURLToPath(import.meta.url))
const repository = path.resolve(directory, '..')
const BASELINE_REV = process.env.FANOUT_BASELINE_REV ?? '9bb07a9a090e527f8f5598516e244162e462b40c'
const PUBLIC_BASELINE_REV = process.env.FANOUT_PUBLIC_BASELINE_REV ?? 'c430a557f8515c28cae494a13a7ab5bf246fc205'
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC']
const CONNECTING = 100 // connections opened at once by the client process

interface Seeded {
  calendarId: string
  userId: string
  token: string
  /** Published calendars only. */
  slugs?: { subaccountSlug: string; calendarSlug: string }
}

const monday = DateTime.now().setZone('Europe/Berlin').startOf('week').plus({ weeks: 2 })
const range = { from: monday.toUTC().toISO()!, to: monday.plus({ days: 7 }).toUTC().toISO()! }
const now = () => performance.timeOrigin + performance.now()

const CREATE_BLOCKED_SLOT = `mutation($input: CreateBlockedSlotInput!) { createBlockedSlot(input: $input) { __typename } }`

function specsFor(calendars: Seeded[], perCalendar: number, audience: 'staff' | 'public'): SubscriberSpec[] {
  return calendars.flatMap((c) =>
    Array.from({ length: perCalendar }, (_, i) => ({
      calendarId: c.calendarId,
      ...(audience === 'staff' ? { token: c.token } : { slugs: c.slugs! }),
      timeZone: ZONES[i % ZONES.length]!,
      ...range,
    })),
  )
}

let changeCount = 0
/** Blocks a new working hour of `calendar`'s member (each call a different one), so its slots change. */
async function change(graphqlUrl: string, calendar: Seeded): Promise<void> {
  const n = changeCount++
  const start = monday.plus({ days: n % 5, hours: 9 + (Math.floor(n / 5) % 8) })
  await postGraphql(graphqlUrl, calendar.token, CREATE_BLOCKED_SLOT, {
    input: {
      userId: calendar.userId,
      start: start.toUTC().toISO(),
      end: start.plus({ minutes: 30 }).toUTC().toISO(),
      title: 'bench',
    },
  })
}

interface Delivery {
  complete: boolean
  delays: number[]
  missing: number
  othersPushed: number
}

async function deliver(server: Server, clients: ChildRpc, calendars: Seeded[], timeoutMs: number) {
  await clients.call('mark')
  const t0 = now()
  await Promise.all(calendars.map((c) => change(server.graphqlUrl, c)))
  return clients.call<Delivery>('collect', { calendarIds: calendars.map((c) => c.calendarId), t0, timeoutMs })
}

interface Server {
  rpc: ChildRpc
  graphqlUrl: string
}

async function startServer(root: string): Promise<Server> {
  const nodeArgs = process.env.FANOUT_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [] // e.g. --cpu-prof
  const rpc = startChild(path.join(directory, 'support/fanoutServer.ts'), { FANOUT_ROOT: root }, nodeArgs)
  return { rpc, graphqlUrl: await rpc.call<string>('url') }
}

const memory = (server: Server) => server.rpc.call<{ heapUsed: number; rss: number }>('memory')
/** CPU time of a process so far (ms): load-independent where wall times on this shared machine are not. */
const cpuMs = async (rpc: ChildRpc) => {
  const { user, system } = await rpc.call<{ user: number; system: number }>('cpu')
  return (user + system) / 1000
}

/** The server's memory once the subscribers of an earlier scenario are gone (their sockets close asynchronously). */
async function settledMemory(server: Server) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const live = await server.rpc.call<{ subscribers: number } | null>('stats')
    if (live === null || live.subscribers === 0 || Date.now() > deadline) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
  return memory(server)
}

async function subscribe(server: Server, clients: ChildRpc, specs: SubscriberSpec[]) {
  const before = await settledMemory(server)
  const url = server.graphqlUrl.replace(/^http/, 'ws')
  const [serverCpu, clientCpu] = await Promise.all([cpuMs(server.rpc), cpuMs(clients)])
  const opened = await clients.call<{ elapsedMs: number; failed: number; firstError: string | null }>('subscribe', {
    url,
    specs,
    connecting: CONNECTING,
  })
  // On this shared machine a few connections can fail under load: counted and reported, not measured.
  if (opened.failed > specs.length / 100) throw new Error(`${opened.failed} subscriptions failed: ${opened.firstError}`)
  const cpu = { server: (await cpuMs(server.rpc)) - serverCpu, client: (await cpuMs(clients)) - clientCpu }
  const after = await memory(server)
  return {
    subscribers: specs.length,
    failedToSubscribe: opened.failed,
    subscribeMs: Math.round(opened.elapsedMs),
    subscribeCpuMsPerSubscriber: {
      server: round2(cpu.server / specs.length),
      client: round2(cpu.client / specs.length),
    },
    heapBytesPerIdleSubscriber: Math.round((after.heapUsed - before.heapUsed) / specs.length),
    rssBytesPerIdleSubscriber: Math.round((after.rss - before.rss) / specs.length),
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100

/** Server CPU per change (ms) over `rounds` deliveries. */
async function delivering(server: Server, rounds: () => Promise<Delivery[]>, changes: number) {
  const before = await cpuMs(server.rpc)
  const delivered = await rounds()
  return { delivered, serverCpuMsPerChange: Math.round(((await cpuMs(server.rpc)) - before) / changes) }
}

function summarize(rounds: Delivery[]): { delivery: Stats; complete: boolean; othersPushed: number } {
  return {
    delivery: stats(rounds.flatMap((r) => r.delays)),
    complete: rounds.every((r) => r.complete && r.missing === 0),
    othersPushed: rounds.reduce((sum, r) => sum + r.othersPushed, 0),
  }
}

interface OneCalendar {
  calendar: Seeded
  audience: 'staff' | 'public'
  changes: number
  timeoutMs: number
}

async function scenarioOneCalendar(server: Server, { calendar, audience, changes, timeoutMs }: OneCalendar) {
  const clients = startChild(path.join(directory, 'support/fanoutClients.ts'))
  try {
    const subscribing = await subscribe(server, clients, specsFor([calendar], 1000, audience))
    const { delivered, serverCpuMsPerChange } = await delivering(
      server,
      async () => {
        const rounds: Delivery[] = []
        for (let i = 0; i < changes; i++) rounds.push(await deliver(server, clients, [calendar], timeoutMs))
        return rounds
      },
      changes,
    )
    return { ...subscribing, changes, serverCpuMsPerChange, ...summarize(delivered) }
  } finally {
    await clients.call('close').catch(() => {})
    await clients.stop()
  }
}

async function scenarioHundredCalendars(server: Server, calendars: Seeded[]) {
  const clients = startChild(path.join(directory, 'support/fanoutClients.ts'))
  try {
    const subscribing = await subscribe(server, clients, specsFor(calendars, 100, 'staff'))
    const { delivered, serverCpuMsPerChange } = await delivering(
      server,
      async () => {
        const rounds: Delivery[] = []
        for (let round = 0; round < 2; round++) {
          const changed = calendars.filter((_, i) => i % 10 === round)
          rounds.push(await deliver(server, clients, changed, 30_000))
        }
        return rounds
      },
      20,
    )
    return { ...subscribing, rounds: 2, changedCalendarsPerRound: 10, serverCpuMsPerChange, ...summarize(delivered) }
  } finally {
    await clients.call('close').catch(() => {})
    await clients.stop()
  }
}

/** A baseline commit's sources with its own dependencies (npm ci from its lock file) and Prisma client. */
async function checkoutBaseline(revision: string, extraFiles = ''): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'fanout-baseline-'))
  const files = `src prisma prisma.config.ts package.json package-lock.json ${extraFiles}`
  execSync(`git archive ${revision} ${files} | tar -x -C ${root}`, { cwd: repository })
  execSync('npm ci --no-audit --no-fund --ignore-scripts', { cwd: root, stdio: 'ignore' })
  execSync('npx prisma generate', {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false' },
  })
  return root
}

const machine = machineRecord()
const started = new Date()

/** Scenario A (staff) or P (public) on a baseline checkout, 1 change. */
async function baselineScenario(revision: string, audience: 'staff' | 'public') {
  const root = await checkoutBaseline(revision, audience === 'public' ? 'web/generated/persisted-documents.json' : '')
  const baselineServer = await startServer(root)
  try {
    const [calendar] = await baselineServer.rpc.call<Seeded[]>('seed', { calendars: 1, publish: audience === 'public' })
    return await scenarioOneCalendar(baselineServer, { calendar: calendar!, audience, changes: 1, timeoutMs: 120_000 })
  } finally {
    await baselineServer.rpc.stop()
    await rm(root, { recursive: true, force: true })
  }
}

const server = await startServer(repository)
const calendars = await server.rpc.call<Seeded[]>('seed', { calendars: 100, publish: true })
const oneCalendar = await scenarioOneCalendar(server, {
  calendar: calendars[0]!,
  audience: 'staff',
  changes: 3,
  timeoutMs: 30_000,
})
console.log('shared, 1,000 subscribers of one calendar', oneCalendar)
const publicCalendar = await scenarioOneCalendar(server, {
  calendar: calendars[1]!,
  audience: 'public',
  changes: 3,
  timeoutMs: 30_000,
})
console.log('shared, 1,000 public subscribers of one calendar', publicCalendar)
if (process.env.FANOUT_QUICK) {
  await server.rpc.stop()
  process.exit(0) // iterate on the one-calendar scenarios alone
}
const hundredCalendars = await scenarioHundredCalendars(server, calendars)
console.log('shared, 10,000 subscribers over 100 calendars', hundredCalendars)
const liveStats = await server.rpc.call('stats')
await server.rpc.stop()

const baseline = await baselineScenario(BASELINE_REV, 'staff')
console.log('baseline (per-subscriber computation), 1,000 subscribers of one calendar', baseline)
const publicBaseline = await baselineScenario(PUBLIC_BASELINE_REV, 'public')
console.log('public baseline (per-subscriber computation), 1,000 public subscribers of one calendar', publicBaseline)

const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10
const result = {
  name: 'fanout',
  description:
    'availabilityChanged and publicAvailabilityChanged fan-out: one server process (PGlite), graphql-ws clients in ' +
    'another process, one connection per subscriber, 7-day range (75 slots), 4 time zones; change = ' +
    'createBlockedSlot over HTTP',
  machine: machine.end(),
  date: started.toISOString(),
  durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
  command: 'npx tsx bench/fanout.bench.ts',
  baselineRevision: BASELINE_REV,
  publicBaselineRevision: PUBLIC_BASELINE_REV,
  targets: { oneCalendarP99Ms: 1000, hundredCalendarsP99Ms: 2000, subscribe1000Ms: 2000 },
  shared: { oneCalendar, publicCalendar, hundredCalendars, liveStats },
  baseline: { oneCalendar: baseline, publicCalendar: publicBaseline },
  ratios: {
    baselineOverSharedDeliveryP99: ratio(baseline.delivery.p99, oneCalendar.delivery.p99),
    baselineOverSharedSubscribe: ratio(baseline.subscribeMs, oneCalendar.subscribeMs),
    publicBaselineOverSharedDeliveryP99: ratio(publicBaseline.delivery.p99, publicCalendar.delivery.p99),
    publicBaselineOverSharedSubscribe: ratio(publicBaseline.subscribeMs, publicCalendar.subscribeMs),
  },
  meetsTargets: {
    oneCalendarP99: oneCalendar.delivery.p99 <= 1000,
    hundredCalendarsP99: hundredCalendars.delivery.p99 <= 2000,
    subscribe1000: oneCalendar.subscribeMs <= 2000,
    publicOneCalendarP99: publicCalendar.delivery.p99 <= 1000,
    publicSubscribe1000: publicCalendar.subscribeMs <= 2000,
  },
}
const met = (ok: boolean) => (ok ? 'met' : 'not met')

interface Row {
  delivery: Stats
  subscribeMs: number
  heapBytesPerIdleSubscriber: number
  subscribeCpuMsPerSubscriber: { server: number; client: number }
  serverCpuMsPerChange: number
}
const row = (name: string, s: Row) =>
  `| ${name} | ${s.subscribeMs} | ${s.subscribeCpuMsPerSubscriber.server} / ${s.subscribeCpuMsPerSubscriber.client} | ` +
  `${s.delivery.p50} | ${s.delivery.p99} | ${s.delivery.max} | ${s.serverCpuMsPerChange} | ` +
  `${(s.heapBytesPerIdleSubscriber / 1024).toFixed(1)} |`
const md = `# Live availability fan-out

${result.description}.

| Scenario | Subscribing (ms) | CPU per subscribe, server / clients (ms) | Delivery p50 (ms) | p99 (ms) | max (ms) | Server CPU per change (ms) | Server heap per idle subscriber (KiB) |
| --- | --- | --- | --- | --- | --- | --- | --- |
${row('Shared feeds: 1,000 subscribers of one calendar, 3 changes', oneCalendar)}
${row('Shared feeds: 1,000 public subscribers of one published calendar, 3 changes', publicCalendar)}
${row('Shared feeds: 10,000 subscribers over 100 calendars, 10 calendars changed at once, 2 rounds', hundredCalendars)}
${row(`Baseline (${BASELINE_REV.slice(0, 7)}, a computation per subscriber): 1,000 subscribers, 1 change`, baseline)}
${row(`Public baseline (${PUBLIC_BASELINE_REV.slice(0, 7)}, a computation per public subscriber): 1,000 public subscribers, 1 change`, publicBaseline)}

Targets: one calendar p99 ≤ 1,000 ms (${met(result.meetsTargets.oneCalendarP99)}; public: ${met(result.meetsTargets.publicOneCalendarP99)}), 100 calendars p99 ≤ 2,000 ms (${met(result.meetsTargets.hundredCalendarsP99)}), subscribing 1,000 ≤ 2,000 ms (${met(result.meetsTargets.subscribe1000)}; public: ${met(result.meetsTargets.publicSubscribe1000)}).
Baseline / shared in this run: delivery p99 ×${result.ratios.baselineOverSharedDeliveryP99}, subscribing ×${result.ratios.baselineOverSharedSubscribe}; public: delivery p99 ×${result.ratios.publicBaselineOverSharedDeliveryP99}, subscribing ×${result.ratios.publicBaselineOverSharedSubscribe}.
Every affected subscriber got its push: ${oneCalendar.complete && publicCalendar.complete && hundredCalendars.complete}; pushes to subscribers of unchanged calendars: ${hundredCalendars.othersPushed}.
Heap per idle subscriber includes its WebSocket connection and graphql-ws state (RSS per subscriber: ${oneCalendar.rssBytesPerIdleSubscriber} / ${publicCalendar.rssBytesPerIdleSubscriber} / ${hundredCalendars.rssBytesPerIdleSubscriber} bytes).
Live feed counters at the end of the shared run: ${JSON.stringify(liveStats)}.

Machine: ${machineLine(result.machine)}. Date: ${result.date}, ${result.durationSeconds} s. Command: \`${result.command}\`.
`
await writeFile(path.join(directory, 'results', 'fanout.json'), JSON.stringify(result, null, 2) + '\n')
await writeFile(path.join(directory, 'results', 'fanout.md'), md)
console.log(md)
