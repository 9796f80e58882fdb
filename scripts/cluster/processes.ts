// Starts server processes of this tree (node + tsx, src/main.ts) for `npm run cluster` and the cluster tests: each
// an API or a worker on the shared PostgreSQL and Redis, logs kept and optionally echoed with a prefix.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface ClusterProcess {
  name: string
  role: 'api' | 'worker'
  child: ChildProcess
  /** http://127.0.0.1:<port> (workers listen too: /healthz, /metrics). */
  url: string
  /** Every log line, parsed. */
  logs: Record<string, unknown>[]
  /** kill -9: no shutdown hook runs, leases stay in the database until they expire. */
  killHard(): Promise<void>
  stop(): Promise<void>
}

export interface StartOptions {
  name: string
  role: 'api' | 'worker'
  env: Record<string, string>
  echo?: boolean
  startTimeoutMs?: number
}

export function startClusterProcess(options: StartOptions): Promise<ClusterProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...options.env, ROLE: options.role },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Record<string, unknown>[] = []
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const started = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.name} did not start`)),
      options.startTimeoutMs ?? 120_000,
    )
    child.once('exit', (code) => reject(new Error(`${options.name} exited with ${code} before starting`)))
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (options.echo) console.log(`[${options.name}] ${line}`)
        let entry: Record<string, unknown>
        try {
          entry = JSON.parse(line) as Record<string, unknown>
        } catch {
          return
        }
        logs.push(entry)
        if (entry.msg === 'server started' && typeof entry.url === 'string') {
          clearTimeout(timer)
          resolve(new URL(entry.url).origin)
        }
      })
    }
  })
  return started.then((url) => ({
    name: options.name,
    role: options.role,
    child,
    url,
    logs,
    killHard: async () => {
      child.kill('SIGKILL')
      await exited
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await exited
    },
  }))
}

/** `apis` API processes and `workers` workers sharing `env`; stops what started if one fails. */
export async function startCluster(
  env: Record<string, string>,
  counts: { apis: number; workers: number },
  echo = false,
): Promise<ClusterProcess[]> {
  const specs = [
    ...Array.from({ length: counts.apis }, (_, i) => ({ name: `api-${i + 1}`, role: 'api' as const })),
    ...Array.from({ length: counts.workers }, (_, i) => ({ name: `worker-${i + 1}`, role: 'worker' as const })),
  ]
  // The first process applies the migrations; the others start once it is up.
  const [first, ...rest] = specs
  const processes = [await startClusterProcess({ ...first!, env, echo })]
  try {
    processes.push(...(await Promise.all(rest.map((spec) => startClusterProcess({ ...spec, env, echo })))))
  } catch (error) {
    await Promise.all(processes.map((p) => p.stop()))
    throw error
  }
  return processes
}
