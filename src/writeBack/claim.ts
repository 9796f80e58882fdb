// Outbox claims: the participants whose iCloud copy is PENDING are leased with one atomic UPDATE, exactly like sync
// leases, so several processes drain the outbox without writing the same event twice at once.
import type { Services } from '../app/services.ts'

type ClaimServices = Pick<Services, 'prisma' | 'instanceId' | 'config'>

export async function claimDueWrites(services: ClaimServices, limit: number): Promise<string[]> {
  if (limit <= 0) return []
  const rows = await services.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "AppointmentParticipant" SET "leaseOwner" = ${services.instanceId},
      "leaseUntil" = now() + (${services.config.writeBackLeaseSeconds}::int * interval '1 second')
    WHERE "id" IN (
      SELECT "id" FROM "AppointmentParticipant"
      WHERE "writeBackState"::text = 'PENDING' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now())
        AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
      ORDER BY "nextAttemptAt" ASC NULLS FIRST
      LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED
    )
    AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
    RETURNING "id"`
  return rows.map((row) => row.id)
}

export async function releaseWrite(services: ClaimServices, participantId: string): Promise<void> {
  await services.prisma.appointmentParticipant.updateMany({
    where: { id: participantId, leaseOwner: services.instanceId },
    data: { leaseOwner: null, leaseUntil: null },
  })
}

/** Shutdown past its deadline: frees every outbox row this process still holds (the write is retried elsewhere). */
export async function releaseAllWrites(services: ClaimServices): Promise<number> {
  const { count } = await services.prisma.appointmentParticipant.updateMany({
    where: { leaseOwner: services.instanceId },
    data: { leaseOwner: null, leaseUntil: null },
  })
  return count
}
