// Peak RSS of the production worker process (`npm run start:worker`: ROLE=worker, compiled, its node options) while its cron tick runs one initial
// sync: the process a deployment runs, with every background job it starts, measured from outside through /proc.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface WorkerRss {
  /** RSS shortly before the integration fell due: the worker started, ticking, nothing to sync yet. */
  idleMb: number
  /** VmHWM at the end of the sync: the process's peak over its whole life. */
  peakMb: number
  /** Highest RSS sampled every 20 ms (a cross-check of VmHWM). */
  sampledPeakMb: number
  /** From the integration's due time to the worker's "sync run finished" log line (ticks are 1 s apart). */
  syncMs: number
  objectsFetched: number
  slotsWritten: number
  requests: number
}

function vmStatus(pid: number): { rss: number; hwm: number } {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0) * 1024
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
  } catch {
    return { rss: 0, hwm: 0 }
  }
}

/** The node options of `npm run start:worker`, so the bench runs the worker exactly as a deployment starts it. */
export function productionNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  const words = pkg.scripts['start:worker']!.split(/\s+/)
  return words.slice(words.indexOf('node') + 1, words.indexOf('dist/main.js'))
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10

/**
 * Starts the built worker with `env` (database, CalDAV URL, secrets), waits for the sync of an integration due at
 * `dueAt` to finish, and stops the worker. Needs `npm run build` first.
 */
export async function measureWorkerRss(
  env: Record<string, string>,
  dueAt: number,
  nodeArgs: string[] = productionNodeArgs(),
): Promise<WorkerRss> {
  const child = spawn(process.execPath, [...nodeArgs, path.join(projectRoot, 'dist', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      ROLE: 'worker',
      SYNC_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'info',
      CALDAV_TIMEOUT_MS: '1800000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let sampledPeak = 0
  let idle = 0
  const timer = setInterval(() => {
    const { rss } = vmStatus(child.pid!)
    sampledPeak = Math.max(sampledPeak, rss)
    if (Date.now() < dueAt - 300) idle = rss
  }, 20)
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  try {
    const finished = await new Promise<Record<string, unknown>>((resolve, reject) => {
      let buffered = ''
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString()
        const lines = buffered.split('\n')
        buffered = lines.pop()!
        for (const line of lines) {
          let entry: Record<string, unknown>
          try {
            entry = JSON.parse(line) as Record<string, unknown>
          } catch {
            continue
          }
          if (entry.msg === 'sync run finished') resolve(entry)
          if (entry.msg === 'sync failed' || entry.msg === 'sync tick failed') reject(new Error(line))
        }
      })
      child.on('exit', (code) => reject(new Error(`worker exited (${code}) before the sync finished: ${stderr}`)))
    })
    const { hwm } = vmStatus(child.pid!)
    if (finished.outcome !== 'SUCCESS') throw new Error(`worker sync: ${JSON.stringify(finished)}`)
    const counters = finished as { objectsFetched?: number; slotsWritten?: number; requestCount?: number }
    return {
      idleMb: mb(idle),
      peakMb: mb(hwm),
      sampledPeakMb: mb(sampledPeak),
      syncMs: Number(finished.time) - dueAt,
      objectsFetched: counters.objectsFetched ?? 0,
      slotsWritten: counters.slotsWritten ?? 0,
      requests: counters.requestCount ?? 0,
    }
  } finally {
    clearInterval(timer)
    child.kill('SIGTERM')
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
  }
}
