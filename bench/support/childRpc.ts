// JSON-lines requests between a benchmark and the processes it starts: the parent writes {id, cmd, args} to the
// child's stdin, the child answers {id, result} or {id, error} on stdout. Logs go to stderr.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

type Handlers = Record<string, (args: never) => unknown>

/** In the child: answer the parent's requests with `handlers`. */
export function serveRequests(handlers: Handlers): void {
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    const { id, cmd, args } = JSON.parse(line) as { id: number; cmd: string; args: never }
    Promise.resolve()
      .then(() => handlers[cmd]!(args))
      .then(
        (result) => process.stdout.write(JSON.stringify({ id, result }) + '\n'),
        (error: unknown) => process.stdout.write(JSON.stringify({ id, error: String(error) }) + '\n'),
      )
  })
  lines.on('close', () => process.exit(0))
}

export interface ChildRpc {
  child: ChildProcess
  call<T>(cmd: string, args?: unknown): Promise<T>
  stop(): Promise<void>
}

/** In the parent: start `script` under tsx (with --expose-gc) and talk to it. */
export function startChild(script: string, env: Record<string, string> = {}, nodeArgs: string[] = []): ChildRpc {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', '--expose-gc', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  let nextId = 1
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{"id"')) return
    const { id, result, error } = JSON.parse(line) as { id: number; result?: unknown; error?: string }
    const waiter = pending.get(id)
    pending.delete(id)
    if (error !== undefined) waiter?.reject(new Error(error))
    else waiter?.resolve(result)
  })
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${script} exited with ${code}`))
    pending.clear()
  })
  return {
    child,
    call: <T>(cmd: string, args: unknown = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
        child.stdin.write(JSON.stringify({ id, cmd, args }) + '\n')
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.stdin.end()
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
      }),
  }
}
