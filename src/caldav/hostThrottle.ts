// iCloud throttles per host, not per account: a 429/503 with Retry-After from a partition host pauses every request
// of the clients sharing a HostThrottle to that host until then, whichever integration asks. The app gives one to
// every client of a process (src/integrations/icloud/caldavSession.ts) and shares its pauses with the other
// processes through the two ports below (src/realtime/sharedHostPauses.ts); the database's
// Integration.rateLimitedUntil carries the word per integration.

/** `until`: epoch ms. */
export type HostPausedListener = (origin: string, until: number) => void

export class HostThrottle {
  private readonly pausedUntil = new Map<string, number>()
  private readonly listeners = new Set<HostPausedListener>()

  /** The server said to come back after `retryAfterMs`: the whole host waits, and listeners hear of a later deadline. */
  pauseHost(origin: string, retryAfterMs: number, now = Date.now()): void {
    const until = now + retryAfterMs
    if (!this.extend(origin, until, now)) return
    for (const listener of this.listeners) listener(origin, until)
  }

  /** A pause another process was told of: applied here, not announced again. A later deadline never shortens. */
  applyHostPause(origin: string, until: number, now = Date.now()): void {
    this.extend(origin, until, now)
  }

  /** Hears every pause this throttle was told of first-hand (not the applied ones); returns the unsubscribe. */
  onHostPaused(listener: HostPausedListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** How long requests to this host must still wait (0: go). */
  hostPauseMs(origin: string, now = Date.now()): number {
    const until = this.pausedUntil.get(origin)
    if (until === undefined) return 0
    if (until <= now) {
      this.pausedUntil.delete(origin)
      return 0
    }
    return until - now
  }

  /** Hosts paused right now, with the ms left (metrics). */
  pausedHosts(now = Date.now()): { origin: string; remainingMs: number }[] {
    return [...this.pausedUntil.keys()]
      .map((origin) => ({ origin, remainingMs: this.hostPauseMs(origin, now) }))
      .filter((host) => host.remainingMs > 0)
  }

  /** Tests: forget every pause (as if the Retry-After windows had passed). */
  clear(): void {
    this.pausedUntil.clear()
  }

  private extend(origin: string, until: number, now: number): boolean {
    if (until <= now || (this.pausedUntil.get(origin) ?? 0) >= until) return false
    this.pausedUntil.set(origin, until)
    return true
  }
}
