// When an integration is checked next after a successful run.
import type { Config } from '../config.ts'

export function nextSyncAfterSuccess(
  config: Pick<Config, 'sync'>,
  _integration: { id: string },
  finishedAt: Date,
): Date {
  return new Date(finishedAt.getTime() + config.sync.intervalSeconds * 1000)
}
