import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Children still alive when the test process exits are killed synchronously (an 'exit' handler cannot await).
const liveChildren = new Set<ChildProcess>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL')
  })
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

interface ManagedProcess {
  child: ChildProcess
  output(): string
  stop(): Promise<void>
}

// On Linux the server also dies with the test process when that is killed by a signal (no 'exit' event then):
// prctl(PR_SET_PDEATHSIG, SIGTERM) survives the exec into the server (both are Python scripts, not setuid).
const PDEATHSIG_LAUNCHER = 'import ctypes, os, sys; ctypes.CDLL(None).prctl(1, 15); os.execv(sys.argv[1], sys.argv[1:])'

function spawnManaged(command: string, args: string[]): ManagedProcess {
  installExitHook()
  const child =
    process.platform === 'linux'
      ? spawn('/usr/bin/python3', ['-c', PDEATHSIG_LAUNCHER, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  liveChildren.add(child)
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    child.once('exit', () => {
      liveChildren.delete(child)
      resolve()
    })
  })
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
        await exited
        clearTimeout(timer)
      }
      liveChildren.delete(child)
    },
  }
}

/** Polls until the server answers any HTTP status; fails early if the process dies. */
async function waitForHttp(url: string, proc: ManagedProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`server exited (${proc.child.exitCode}): ${proc.output()}`)
    try {
      const res = await fetch(url, { method: 'OPTIONS', signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      return
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`server at ${url} did not answer within ${timeoutMs} ms: ${proc.output()}`)
}

/** Starts a server on a fresh free port, retrying when another process grabbed the port first. */
async function startOnFreePort(
  build: (port: number) => Promise<{ command: string; args: string[] }>,
  attempts = 5,
): Promise<{ proc: ManagedProcess; port: number }> {
  let lastError: unknown
  for (let i = 0; i < attempts; i++) {
    const port = await freePort()
    const { command, args } = await build(port)
    const proc = spawnManaged(command, args)
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, proc)
      return { proc, port }
    } catch (error) {
      lastError = error
      await proc.stop()
    }
  }
  throw lastError
}

async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

export interface ServerInDir {
  /** Base URL with trailing slash, e.g. http://127.0.0.1:PORT/ */
  url: string
  storageDir: string
  stop(): Promise<void>
}

/** Starts a server that keeps its files in `storageDir`; the directory goes when it stops or fails to start. */
export async function startInDir(
  storageDir: string,
  build: (port: number) => Promise<{ command: string; args: string[] }>,
): Promise<ServerInDir> {
  try {
    const { proc, port } = await startOnFreePort(build)
    return {
      url: `http://127.0.0.1:${port}/`,
      storageDir,
      async stop() {
        await proc.stop()
        await removeDir(storageDir)
      },
    }
  } catch (error) {
    await removeDir(storageDir)
    throw error
  }
}
