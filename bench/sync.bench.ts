// `npx tsx bench/sync.bench.ts`: sync engine figures against Radicale (PGlite in memory), written to
// bench/results/sync.json and sync.md. `--rss <count>` is the child mode measuring peak RSS of one initial sync.
import { spawnSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CalDavClient } from '../src/caldav/index.ts'
import { syncIntegration } from '../src/sync/index.ts'
import { ChangedRange, prepareObject, writeObjects } from '../src/sync/objectSlots.ts'
import { computeWindow } from '../src/sync/window.ts'
import { benchEvent, seededIntegration, startBenchEnv, type BenchEnv } from './support/syncBenchSetup.ts'

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

async function oneChange(env: BenchEnv, fx: Awaited<ReturnType<typeof seededIntegration>>, rounds: number) {
  const runs = []
  for (let r = 0; r < rounds; r++) {
    const { file, ics } = benchEvent(r * 7 + 3)
    // Same href and UID as the seeded event, new content.
    await fx.login.put(fx.url, file, ics.replace(/SUMMARY:Meeting \d+/, `SUMMARY:Edited ${r}`))
    const result = await sync(env, fx.integrationId)
    if (result.counters.objectsFetched !== 1)
      throw new Error(`expected 1 fetched, got ${result.counters.objectsFetched}`)
    runs.push(result)
  }
  return {
    requests: Math.max(...runs.map((r) => r.requestCount)),
    engineMs: median(runs.map((r) => r.engineMs)),
    totalMs: median(runs.map((r) => r.totalMs)),
  }
}

async function rssChild(count: number) {
  const env = await startBenchEnv()
  try {
    const fx = await seededIntegration(env, 'rss', count)
    global.gc?.()
    const baseline = process.memoryUsage().rss
    const result = await sync(env, fx.integrationId)
    const peak = process.resourceUsage().maxRSS * 1024
    console.log(
      JSON.stringify({
        count,
        objects: result.counters.objectsFetched,
        baselineRss: baseline,
        peakRss: peak,
        totalMs: result.totalMs,
      }),
    )
  } finally {
    await env.close()
  }
}

async function main() {
  const rssIndex = process.argv.indexOf('--rss')
  if (rssIndex >= 0) return rssChild(Number(process.argv[rssIndex + 1] ?? 20_000))

  const env = await startBenchEnv()
  try {
    const small = await seededIntegration(env, 'cal500', 500)
    const large = await seededIntegration(env, 'cal5000', 5000)
    // Warm Radicale's item cache for both (its first listing hashes every file), outside every measurement.
    await serveOnly(env, small.login, small.url)
    await serveOnly(env, large.login, large.url)

    // Initial sync end to end vs the server alone (median of 3 each).
    const serverAlone: number[] = []
    const initial: number[] = []
    let initialRequests = 0
    for (let r = 0; r < 3; r++) {
      serverAlone.push(await serveOnly(env, large.login, large.url))
      await forget(env, large.integrationId, large.calendarId)
      const result = await sync(env, large.integrationId)
      initial.push(result.totalMs)
      initialRequests = result.requestCount
    }
    await sync(env, small.integrationId)

    // Unchanged calendars.
    const unchanged5000 = await sync(env, large.integrationId)
    const unchanged500 = await sync(env, small.integrationId)

    // One change.
    const change500 = await oneChange(env, small, 5)
    const change5000 = await oneChange(env, large, 5)

    // Pipeline (parse + expand + store) from fixture data, no CalDAV.
    const pipe = await seededIntegration(env, 'pipeline', 0)
    const integration = await env.services.prisma.integration.findUniqueOrThrow({ where: { id: pipe.integrationId } })
    const window = computeWindow(env.services.config)
    const expand = {
      windowStart: window.start,
      windowEnd: window.end,
      defaultTimeZone: 'Europe/Berlin',
      ownerEmails: [integration.appleId],
    }
    const fixtures = Array.from({ length: 5000 }, (_, i) => {
      const { file, ics } = benchEvent(i, 'pipe')
      return { href: `${new URL(pipe.url).pathname}${file}`, etag: `"${i}"`, data: ics }
    })
    const pipeStarted = performance.now()
    let pipeSlots = 0
    for (let i = 0; i < fixtures.length; i += 100) {
      const prepared = fixtures.slice(i, i + 100).map((f) => prepareObject(f, expand))
      const written = await env.services.prisma.$transaction((tx) =>
        writeObjects(
          tx,
          prepared,
          { id: pipe.calendarId, blocking: true },
          { userId: integration.userId, subaccountId: integration.subaccountId },
          new Map(),
          new ChangedRange(),
        ),
      )
      pipeSlots += written.slotsWritten
    }
    const pipeMs = performance.now() - pipeStarted

    // Peak RSS of a 20,000-event initial sync, in a fresh process.
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', fileURLToPath(import.meta.url), '--rss', '20000'],
      {
        encoding: 'utf8',
        maxBuffer: 10 * 1024 * 1024,
      },
    )
    const rssLine = child.stdout.trim().split('\n').pop() ?? '{}'
    const rss = JSON.parse(rssLine) as { peakRss?: number; baselineRss?: number; objects?: number; totalMs?: number }
    if (!rss.peakRss) throw new Error(`RSS child failed: ${child.stderr.slice(-2000)}`)

    const results = {
      machine: {
        cpu: os.cpus()[0]?.model,
        cores: os.cpus().length,
        memoryGb: round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      date: new Date().toISOString(),
      command: 'npx tsx bench/sync.bench.ts',
      server: 'Radicale 3.1.8 on loopback; database PGlite in memory',
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
        ratio: round(median(initial) / median(serverAlone), 2),
      },
      pipeline: {
        events: fixtures.length,
        slots: pipeSlots,
        ms: round(pipeMs),
        eventsPerSecond: Math.round((fixtures.length / pipeMs) * 1000),
      },
      rss20000: {
        objects: rss.objects,
        peakMb: round(rss.peakRss / 2 ** 20),
        baselineMb: round((rss.baselineRss ?? 0) / 2 ** 20),
        totalMs: round(rss.totalMs ?? 0),
      },
    }
    const targets = [
      ['Unchanged 5,000-event calendar: requests per sync', `${results.unchanged.events5000Requests}`, '1'],
      ['One change, 5,000 events: requests', `${change5000.requests}`, '≤ 3'],
      [
        'One change: engine time 5,000 vs 500 events',
        `${results.oneChange.events5000.engineMs} ms vs ${results.oneChange.events500.engineMs} ms (×${results.oneChange.engineRatio5000to500})`,
        '≤ ×1.5',
      ],
      ['Pipeline parse + expand + store', `${results.pipeline.eventsPerSecond} events/s`, '≥ 2,000/s'],
      [
        'Initial sync 5,000 events vs server alone',
        `${results.initialSync5000.endToEndMs} ms vs ${results.initialSync5000.serverAloneMs} ms (×${results.initialSync5000.ratio})`,
        '≤ ×1.5',
      ],
      ['Peak RSS, initial sync of 20,000 events', `${results.rss20000.peakMb} MB`, '≤ 300 MB'],
    ]
    const md = [
      '# Sync engine benchmark',
      '',
      `${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGb} GB, Node ${results.machine.node}; ${results.date}.`,
      `Command: \`${results.command}\`. ${results.server}. Engine time = run time minus the summed CalDAV request time.`,
      '',
      '| Measure | Result | Target |',
      '| --- | --- | --- |',
      ...targets.map((row) => `| ${row.join(' | ')} |`),
      '',
      `Initial sync of 5,000 events: ${initialRequests} CalDAV requests (sync-collection + multiget batches of 100).`,
      '',
    ].join('\n')
    await mkdir(path.join(here, 'results'), { recursive: true })
    await writeFile(path.join(here, 'results', 'sync.json'), JSON.stringify(results, null, 2) + '\n')
    await writeFile(path.join(here, 'results', 'sync.md'), md)
    console.log(md)
  } finally {
    await env.close()
  }
}

await main()
