// iCloud throttles per host, not per account: a 429/503 with Retry-After from a partition host pauses every request
// of this process to that host until then, whichever integration asks. Shared by every client in the process (the
// database's Integration.rateLimitedUntil carries the word per integration across processes).
const pausedUntil = new Map<string, number>()

/** The server said to come back after `retryAfterMs`: the whole host waits. A later deadline never shortens. */
export function pauseHost(origin: string, retryAfterMs: number, now = Date.now()): void {
  const until = now + retryAfterMs
  if ((pausedUntil.get(origin) ?? 0) < until) pausedUntil.set(origin, until)
}

/** How long requests to this host must still wait (0: go). */
export function hostPauseMs(origin: string, now = Date.now()): number {
  const until = pausedUntil.get(origin)
  if (until === undefined) return 0
  if (until <= now) {
    pausedUntil.delete(origin)
    return 0
  }
  return until - now
}

/** Tests: forget every pause (as if the Retry-After windows had passed). */
export function clearHostPauses(): void {
  pausedUntil.clear()
}
