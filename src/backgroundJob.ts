/** A cron-driven worker of one process (the sync scheduler, the write-back outbox). */
export interface BackgroundJob {
  start(): void
  /** Stops scheduling new work and resolves when work in flight has finished. */
  stop(): Promise<void>
}
