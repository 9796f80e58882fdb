// Cluster-wide backlog read from the database at scrape time: every process reports the same figures, so alert on
// them from any one (or the max).
import type { PrismaClient } from '../generated/prisma/client.ts'

export interface Backlog {
  /** Age of the most overdue sync (now − nextSyncAt of the earliest due CONNECTED/ERROR integration), 0 if none. */
  syncLagSeconds: number
  /** Integrations due now and not leased by any process. */
  syncsDue: number
  writeBackPending: number
  writeBackFailed: number
  /** How long the most overdue pending write-back has been due, 0 if none. */
  writeBackOldestDueSeconds: number
}

const secondsSince = (date: Date | null | undefined, now: Date) =>
  date ? Math.max(0, (now.getTime() - date.getTime()) / 1000) : 0

export async function readBacklog(prisma: PrismaClient, now = new Date()): Promise<Backlog> {
  const due = { status: { in: ['CONNECTED', 'ERROR'] as ('CONNECTED' | 'ERROR')[] }, nextSyncAt: { lte: now } }
  const [overdue, syncsDue, states, oldestWrite] = await Promise.all([
    prisma.integration.findFirst({ where: due, orderBy: { nextSyncAt: 'asc' }, select: { nextSyncAt: true } }),
    prisma.integration.count({ where: { ...due, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] } }),
    prisma.appointmentParticipant.groupBy({
      by: ['writeBackState'],
      where: { writeBackState: { in: ['PENDING', 'FAILED'] } },
      _count: { _all: true },
    }),
    prisma.appointmentParticipant.findFirst({
      where: { writeBackState: 'PENDING', nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: 'asc' },
      select: { nextAttemptAt: true },
    }),
  ])
  const count = (state: string) => states.find((s) => s.writeBackState === state)?._count._all ?? 0
  return {
    syncLagSeconds: secondsSince(overdue?.nextSyncAt, now),
    syncsDue,
    writeBackPending: count('PENDING'),
    writeBackFailed: count('FAILED'),
    writeBackOldestDueSeconds: secondsSince(oldestWrite?.nextAttemptAt, now),
  }
}
