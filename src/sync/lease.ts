// Sync leases: a row-level claim (owner + expiry) written with one atomic UPDATE, so any number of processes can run
// ticks and an integration is never synced by two at once. Time comes from the database clock (one clock for all).
import type { SyncServices as Services } from './ports.ts'

type LeaseServices = Pick<Services, 'prisma' | 'instanceId' | 'config'>

export interface ClaimedIntegration {
  id: string
  /** Its lease had expired unreleased: a process died while syncing it (its SyncRun may still say RUNNING). */
  abandoned: boolean
}

/**
 * Claims up to `limit` due integrations for this process. FOR UPDATE SKIP LOCKED lets concurrent claimers pass each
 * other instead of waiting; the WHERE clause is re-checked on the locked row, so a lease is taken only if still free.
 */
export async function claimDueIntegrations(services: LeaseServices, limit: number): Promise<ClaimedIntegration[]> {
  if (limit <= 0) return []
  return services.prisma.$queryRaw<ClaimedIntegration[]>`
    UPDATE "Integration" i SET "leaseOwner" = ${services.instanceId},
      "leaseUntil" = now() + (${services.config.sync.leaseSeconds}::int * interval '1 second')
    FROM (
      SELECT "id", "leaseOwner" FROM "Integration"
      -- Compared as the enum (no cast), so the planner knows from the column's statistics that most rows are due and
      -- reads "nextSyncAt" in index order, stopping at the limit, instead of sorting every due row.
      WHERE "status" IN ('CONNECTED', 'ERROR') AND "nextSyncAt" <= now()
        AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
      ORDER BY "nextSyncAt" ASC
      LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED
    ) due
    WHERE i."id" = due."id" AND (i."leaseUntil" IS NULL OR i."leaseUntil" < now())
    RETURNING i."id", due."leaseOwner" IS NOT NULL AS "abandoned"`
}

/** Claims one integration whether or not it is due (syncNow, connect, booking re-check); false when another holds it. */
export async function claimIntegration(services: LeaseServices, integrationId: string): Promise<boolean> {
  const rows = await services.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Integration" SET "leaseOwner" = ${services.instanceId},
      "leaseUntil" = now() + (${services.config.sync.leaseSeconds}::int * interval '1 second')
    WHERE "id" = ${integrationId}
      AND ("leaseUntil" IS NULL OR "leaseUntil" < now() OR "leaseOwner" = ${services.instanceId})
    RETURNING "id"`
  return rows.length > 0
}

/** Extends our lease; false when it was lost (expired and taken by another process). */
async function renewLease(services: LeaseServices, integrationId: string): Promise<boolean> {
  const count = await services.prisma.$executeRaw`
    UPDATE "Integration"
    SET "leaseUntil" = now() + (${services.config.sync.leaseSeconds}::int * interval '1 second')
    WHERE "id" = ${integrationId} AND "leaseOwner" = ${services.instanceId}`
  return count > 0
}

export class LeaseLostError extends Error {
  constructor(integrationId: string) {
    super(`Lost the sync lease of integration ${integrationId}; another process may be syncing it`)
    this.name = 'LeaseLostError'
  }
}

export interface HeldLease {
  /** Throws LeaseLostError once a renewal found the lease taken by another process. */
  assert: () => void
  stop: () => void
}

/** Renews the lease every third of its length while a run works, so a long sync keeps it. */
export function keepLease(
  services: LeaseServices,
  integrationId: string,
  onRenewalError: (error: unknown) => void,
): HeldLease {
  let lost = false
  const renewal = setInterval(
    () => {
      renewLease(services, integrationId)
        .then((ok) => {
          if (!ok) lost = true
        })
        .catch(onRenewalError)
    },
    Math.max(1000, (services.config.sync.leaseSeconds * 1000) / 3),
  )
  renewal.unref()
  return {
    assert: () => {
      if (lost) throw new LeaseLostError(integrationId)
    },
    stop: () => clearInterval(renewal),
  }
}

/** Shutdown past its deadline: frees every integration this process still holds, so another takes it over at once. */
export async function releaseAllLeases(services: Pick<LeaseServices, 'prisma' | 'instanceId'>): Promise<number> {
  const { count } = await services.prisma.integration.updateMany({
    where: { leaseOwner: services.instanceId },
    data: { leaseOwner: null, leaseUntil: null },
  })
  return count
}
