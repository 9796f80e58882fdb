// Booking-time re-check: between two sync ticks iCloud may have gained an event. Before the booking transaction (never
// inside it: no transaction waits on iCloud), every involved member's integration runs one incremental sync of its
// blocking calendars — one sync-collection request per calendar when nothing changed — bounded by
// config.bookingRecheckTimeoutMs for all of them together. The booking transaction then re-checks the slot against
// the database, which now holds whatever iCloud gained; a sync that changed blocked slots has already notified the
// availability subscribers. When iCloud does not answer in time the booking goes ahead on the last synced data and
// says so (ICloudRecheck); the sync keeps running in the background and publishes what it finds.
import type { Services } from '../app/services.ts'
import { startClaimed, type SyncRunResult } from '../sync/syncIntegration.ts'

/**
 * LIVE: every involved member's conflict calendars were checked against iCloud just now.
 * NOT_NEEDED: no involved member has a connected iCloud integration with conflict calendars.
 * SKIPPED: another sync of a member's integration was running (its lease is held), iCloud's Retry-After has not
 *   passed (rateLimitedUntil), or the re-check is off (BOOKING_RECHECK_TIMEOUT_MS=0): booked on the last synced data.
 * TIMED_OUT: iCloud did not answer within the timeout: booked on the last synced data.
 * UNREACHABLE: iCloud answered with an error (down, throttled, password revoked): booked on the last synced data.
 */
export type ICloudRecheck = 'LIVE' | 'NOT_NEEDED' | 'SKIPPED' | 'TIMED_OUT' | 'UNREACHABLE'

const SEVERITY: Record<ICloudRecheck, number> = { NOT_NEEDED: 0, LIVE: 1, SKIPPED: 2, UNREACHABLE: 3, TIMED_OUT: 4 }

export interface RecheckRequest {
  subaccountId: string
  /** Members who could take the booking (the assigned one is chosen in the transaction). */
  userIds: string[]
}

export async function recheckICloudBeforeBooking(services: Services, request: RecheckRequest): Promise<ICloudRecheck> {
  const integrations = await services.prisma.integration.findMany({
    where: {
      subaccountId: request.subaccountId,
      userId: { in: [...new Set(request.userIds)] },
      status: { in: ['CONNECTED', 'ERROR'] },
      OR: [{ conflictCalendars: { some: {} } }, { linkedCalendar: { alsoConflict: true } }],
    },
    select: { id: true },
  })
  if (integrations.length === 0) return 'NOT_NEEDED'
  const timeoutMs = services.config.bookingRecheckTimeoutMs
  if (timeoutMs <= 0) return 'SKIPPED'

  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'TIMED_OUT'>((resolve) => {
    timer = setTimeout(() => resolve('TIMED_OUT'), timeoutMs)
  })
  try {
    const outcomes = await Promise.all(
      integrations.map((integration) => Promise.race([recheckOne(services, integration.id), timedOut])),
    )
    return outcomes.reduce<ICloudRecheck>((worst, o) => (SEVERITY[o] > SEVERITY[worst] ? o : worst), 'LIVE')
  } finally {
    clearTimeout(timer)
  }
}

async function recheckOne(services: Services, integrationId: string): Promise<ICloudRecheck> {
  // Unlike claimIntegration, not re-entrant: a sync of this integration already running in this process is left
  // alone (two runs of one integration must not interleave); the booking uses the database it is refreshing. Inside
  // a Retry-After window iCloud is not asked at all.
  if (!(await claimIfFree(services, integrationId))) return 'SKIPPED'
  const start = await startClaimed(services, integrationId, 'BOOKING')
  if (!start.started) return 'SKIPPED'
  const run: Promise<SyncRunResult> = start.done
  run.catch(() => {}) // after a timeout nobody awaits it; the engine logs its own failures
  const result = await run
  return result.outcome === 'SUCCESS' ? 'LIVE' : 'UNREACHABLE'
}

async function claimIfFree(services: Services, integrationId: string): Promise<boolean> {
  const rows = await services.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Integration" SET "leaseOwner" = ${services.instanceId},
      "leaseUntil" = now() + (${services.config.sync.leaseSeconds}::int * interval '1 second')
    WHERE "id" = ${integrationId} AND "status"::text IN ('CONNECTED', 'ERROR')
      AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
      AND ("rateLimitedUntil" IS NULL OR "rateLimitedUntil" <= now())
    RETURNING "id"`
  return rows.length > 0
}
