// The CalDAV client the engine uses for one integration: the iCloud connection's client, with the engine's own
// retry budget and request accounting.
import type { SyncServices as Services } from './ports.ts'
import type { RequestInfo, CalDavClient } from '../caldav/index.ts'
import type { Integration } from '../generated/prisma/client.ts'
import { createCalDavClientForIntegration } from '../integrations/icloud/credentials.ts'

export function createSyncClient(
  services: Pick<Services, 'config' | 'cipher'>,
  integration: Pick<Integration, 'appleId' | 'credentialCiphertext' | 'homeUrl'>,
  onRequest?: (info: RequestInfo) => void,
): CalDavClient {
  return createCalDavClientForIntegration(services, integration, {
    // A tick does not sleep through long throttling: a Retry-After beyond a few seconds ends the run as RATE_LIMITED
    // and the integration comes back after it (nextSyncAt), leaving the worker free for other integrations.
    maxRetries: 2,
    maxRetryDelayMs: 5_000,
    baseRetryDelayMs: 300,
    onRequest,
  })
}

/** Requests of one run, counted by the client's onRequest (a check's client and tally pass on to the full run). */
export interface RequestTally {
  count: number
  /** Summed duration: the server's share of the run time. */
  ms: number
}

export const countRequest =
  (tally: RequestTally) =>
  (info: RequestInfo): void => {
    tally.count++
    tally.ms += info.durationMs
  }
