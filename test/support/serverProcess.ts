// The real server as a child process (`src/main.ts` through tsx), with its output collected for assertions.
import { spawn, type ChildProcess } from 'node:child_process'

export interface ServerProcess {
  child: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output(): string
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>
  /** Resolves with the base URL once the server has started. */
  started(): Promise<string>
}

export function spawnServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`)),
        timeoutMs,
      )
      const check = () => {
        const match = pattern.exec(output)
        if (!match) return
        clearTimeout(timer)
        child.stdout?.off('data', check)
        resolve(match)
      }
      child.stdout?.on('data', check)
      check()
    })
  return {
    child,
    output: () => output,
    waitFor,
    started: async () => (await waitFor(/"url":"(http:\/\/[^"]+)\/graphql"/, 120_000))[1]!,
  }
}
