// Outbox claims, one mechanism for every outbox (write-back to iCloud, webhook deliveries): due rows are leased to
// this process with one atomic UPDATE over a FOR UPDATE SKIP LOCKED selection, exactly like sync leases, so several
// processes drain an outbox without working on the same row at once. A process that dies leaves a lease that simply
// expires, and the row is claimed again: delivery is at-least-once.
import type { Services } from '../app/services.ts'
import { Prisma } from '../generated/prisma/client.ts'

type ClaimServices = Pick<Services, 'prisma' | 'instanceId'>

/** An outbox table: rows with leaseOwner, leaseUntil and nextAttemptAt columns, and a condition for "waiting". */
export interface OutboxTable {
  /** The quoted table name, a constant of the code (never input). */
  table: string
  /** SQL condition of a row that still has work to do (e.g. its state is PENDING). */
  waiting: Prisma.Sql
  /** How long a claim lasts: longer than the work on one row can take. */
  leaseSeconds: number
}

export async function claimDue(services: ClaimServices, outbox: OutboxTable, limit: number): Promise<string[]> {
  if (limit <= 0) return []
  const table = Prisma.raw(outbox.table)
  const rows = await services.prisma.$queryRaw<{ id: string }[]>`
    UPDATE ${table} SET "leaseOwner" = ${services.instanceId},
      "leaseUntil" = now() + (${outbox.leaseSeconds}::int * interval '1 second')
    WHERE "id" IN (
      SELECT "id" FROM ${table}
      WHERE ${outbox.waiting} AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now())
        AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
      ORDER BY "nextAttemptAt" ASC NULLS FIRST
      LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED
    )
    AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
    RETURNING "id"`
  return rows.map((row) => row.id)
}

/** Gives the row back (work done, or given up for now); a lease another process took over is left alone. */
export async function releaseClaim(services: ClaimServices, outbox: OutboxTable, id: string): Promise<void> {
  await services.prisma.$executeRaw`
    UPDATE ${Prisma.raw(outbox.table)} SET "leaseOwner" = NULL, "leaseUntil" = NULL
    WHERE "id" = ${id} AND "leaseOwner" = ${services.instanceId}`
}

/** Exponential back-off with jitter: between half and all of base·2^(attempt−1), capped. */
export function jitteredBackoffMs(attempt: number, baseMs: number, capMs: number): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return exponential / 2 + Math.random() * (exponential / 2)
}

/** Shutdown past its deadline: frees every row of the outbox this process still holds (the work is retried elsewhere). */
export async function releaseAllClaims(services: ClaimServices, outbox: OutboxTable): Promise<number> {
  return services.prisma.$executeRaw`
    UPDATE ${Prisma.raw(outbox.table)} SET "leaseOwner" = NULL, "leaseUntil" = NULL
    WHERE "leaseOwner" = ${services.instanceId}`
}
