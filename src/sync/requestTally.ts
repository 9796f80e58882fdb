// Requests of one run, counted by the CalDAV client's onRequest (a check's client and tally pass on to the full run).
import type { RequestInfo } from '../caldav/index.ts'

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
