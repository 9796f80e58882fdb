// Per-block lifetimes for what tests start: started in beforeAll, stopped in afterAll (after the block's tests and
// before what earlier hooks started, since vitest runs after-hooks in reverse).
import { afterAll, beforeAll } from 'vitest'

type Stoppable = { stop(): Promise<unknown> } | { close(): Promise<unknown> }

/** Something started once for the enclosing file or describe block (a server, a receiver), stopped after it. */
export function useStarted<T extends Stoppable>(
  start: () => Promise<T>,
  receive: (started: T) => unknown,
  timeoutMs?: number,
): void {
  let started: T | undefined
  beforeAll(async () => {
    started = await start()
    await receive(started)
  }, timeoutMs)
  afterAll(async () => {
    if (!started) return
    await ('stop' in started ? started.stop() : started.close())
  })
}
