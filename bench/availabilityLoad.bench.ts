// Availability over HTTP under load: autocannon at a fixed concurrency against our GraphQL endpoint (PGlite and
// PostgreSQL), and in the same run against the peer approach: a server that fetches the members' calendars live from
// CalDAV (Radicale on loopback, the project's CalDAV client) on every request. Each server runs in its own process;
// autocannon runs here. Reported: throughput (requests/s), latency p50 and p99, and ours against the peer's as ratios.
//
//   npx tsx bench/availabilityLoad.bench.ts        (or npm run bench availabilityLoad)
//   LOAD_CONNECTIONS (10), LOAD_SECONDS (15), LOAD_PEER_SECONDS (40), LOAD_EVENTS per calendar (200), BENCH_DATABASE_URL (PostgreSQL)
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import type { WorkloadShape } from './support/availabilityWorkload.ts'
import { startChild, type ChildRpc } from './support/childRpc.ts'
import { machineLine, machineRecord } from './support/report.ts'

const directory = path.dirname(fileURLToPath(import.meta.url))
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 10)
const SECONDS = Number(process.env.LOAD_SECONDS ?? 15)
// A peer request takes seconds under load: a longer run so that enough of them finish for a p99.
const PEER_SECONDS = Number(process.env.LOAD_PEER_SECONDS ?? 40)
// Small enough for Radicale to answer the peer within a second or so; the database side hardly depends on it.
const SHAPE: WorkloadShape = {
  members: 5,
  calendarsPerMember: 1,
  eventsPerCalendar: Number(process.env.LOAD_EVENTS ?? 200),
  recurringShare: 0.1,
}

interface Load {
  connections: number
  seconds: number
  requests: number
  requestsPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  latencyMaxMs: number
  errors: number
  non2xx: number
}

async function load(
  url: string,
  init: { headers?: Record<string, string>; body?: string } = {},
  seconds = SECONDS,
): Promise<Load> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: init.headers,
    body: init.body ?? '{}',
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 60,
  })
  return {
    connections: CONNECTIONS,
    seconds,
    requests: result.requests.total,
    requestsPerSecond: Math.round((result.requests.total / seconds) * 10) / 10,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

const env = { LOAD_WORKLOAD: JSON.stringify(SHAPE) }

async function ours(kind: 'pglite' | 'postgres'): Promise<Load & { blockedSlots: number }> {
  console.log(`seeding ${kind}…`)
  const child = startChild(path.join(directory, 'support', 'availabilityServer.ts'), { ...env, LOAD_DB_KIND: kind })
  try {
    const request = await child.call<{
      url: string
      headers: Record<string, string>
      body: string
      blockedSlots: number
    }>('request')
    await load(request.url, request) // warm-up run, not reported: caches filled, JIT warm
    const measured = await load(request.url, request)
    console.log(kind, measured)
    return { ...measured, blockedSlots: request.blockedSlots }
  } finally {
    await stopChild(child)
  }
}

async function peer(): Promise<Load & { warmupMs: number; oneRequestMs: number; slots: number }> {
  console.log('starting Radicale for the peer…')
  const child = startChild(path.join(directory, 'support', 'peerAvailabilityServer.ts'), env)
  try {
    const url = await child.call<string>('url')
    const warm = await child.call<{ ms: number; oneRequestMs: number; slots: number }>('warm')
    console.log('peer warm-up', warm)
    const measured = await load(url, {}, PEER_SECONDS)
    console.log('peer', measured)
    return { ...measured, warmupMs: warm.ms, oneRequestMs: warm.oneRequestMs, slots: warm.slots }
  } finally {
    await stopChild(child)
  }
}

async function stopChild(child: ChildRpc) {
  await child.call('stop').catch(() => null)
  await child.stop()
}

const machine = machineRecord()
const started = new Date()
const pglite = await ours('pglite')
const postgres = await ours('postgres')
const peerResult = await peer()

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10) / 10)
const result = {
  name: 'availabilityLoad',
  description:
    `availability (30 days, ROUND_ROBIN, ${SHAPE.members} members × ${SHAPE.calendarsPerMember} calendar × ` +
    `${SHAPE.eventsPerCalendar} events, 10% recurring) over HTTP under load: ${CONNECTIONS} connections for ${SECONDS} s`,
  machine: machine.end(),
  date: started.toISOString(),
  durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
  command: 'npx tsx bench/availabilityLoad.bench.ts',
  workload: { ...SHAPE, blockedSlotRows: pglite.blockedSlots, peerSlots: peerResult.slots },
  pglite,
  postgres,
  peer: peerResult,
  ratios: {
    throughputPgliteOverPeer: ratio(pglite.requestsPerSecond, peerResult.requestsPerSecond),
    throughputPostgresOverPeer: ratio(postgres.requestsPerSecond, peerResult.requestsPerSecond),
    peerP50OverPglite: ratio(peerResult.latencyP50Ms, pglite.latencyP50Ms),
    peerP50OverPostgres: ratio(peerResult.latencyP50Ms, postgres.latencyP50Ms),
    peerP99OverPglite: ratio(peerResult.latencyP99Ms, pglite.latencyP99Ms),
    peerP99OverPostgres: ratio(peerResult.latencyP99Ms, postgres.latencyP99Ms),
  },
}

const row = (name: string, l: Load) =>
  `| ${name} | ${l.requests} | ${l.requestsPerSecond} | ${l.latencyP50Ms} | ${l.latencyP99Ms} | ${l.latencyMaxMs} | ${l.errors} | ${l.non2xx} |`
const r = result.ratios
const md = `# availability under load

${result.description}. Our side: the GraphQL \`availability\` query (${pglite.blockedSlots} blocked-slot rows). The peer: the same slots computed from a live CalDAV fetch per request (list + calendar-multiget of every conflict calendar on Radicale, loopback, with the project's CalDAV client; expand; compute), warm-up ${peerResult.warmupMs} ms untimed, then one request alone ${peerResult.oneRequestMs} ms; the peer is loaded for ${PEER_SECONDS} s so that enough requests finish. Each server in its own process, autocannon in the parent; ours after one untimed run of the same length.

Machine: ${machineLine(result.machine)}. Date: ${result.date}, ${result.durationSeconds} s. Command: \`${result.command}\`.

| server | requests | requests/s | p50 ms | p99 ms | max ms | errors | non-2xx |
| --- | --- | --- | --- | --- | --- | --- | --- |
${row('ours, PGlite', pglite)}
${row('ours, PostgreSQL', postgres)}
${row('peer: live CalDAV fetch per request', peerResult)}

Throughput ours / peer: ${r.throughputPgliteOverPeer}× (PGlite), ${r.throughputPostgresOverPeer}× (PostgreSQL). Latency peer / ours: p50 ${r.peerP50OverPglite}× / ${r.peerP50OverPostgres}×, p99 ${r.peerP99OverPglite}× / ${r.peerP99OverPostgres}× (PGlite / PostgreSQL).
`

await mkdir(path.join(directory, 'results'), { recursive: true })
await writeFile(path.join(directory, 'results', 'availabilityLoad.json'), JSON.stringify(result, null, 2) + '\n')
await writeFile(path.join(directory, 'results', 'availabilityLoad.md'), md)
console.log(md)
process.exit(0)
