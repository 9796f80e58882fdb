// SyncRun history retention: a run every tick per integration is 2,880 rows a day each, so old runs are deleted.
// Kept: the newest `keepRuns` runs of each integration, every run that did not succeed for `failedRunDays` (what
// support looks at), and runs still RUNNING. Each statement deletes at most `batchSize` rows, so pruning a large
// backlog never holds long locks or one huge transaction; several processes may prune at once (they delete the same
// rows at most once).
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts'

export interface RunRetention {
  keepRuns: number
  failedRunDays: number
  /** Rows per DELETE statement. */
  batchSize?: number
}

export interface PruneResult {
  deleted: number
  statements: number
  maxDeletedByOneStatement: number
}

const INTEGRATIONS_PER_PAGE = 100

export async function pruneSyncHistory(
  prisma: PrismaClient,
  retention: RunRetention,
  options: { shouldStop?: () => boolean } = {},
): Promise<PruneResult> {
  const batchSize = retention.batchSize ?? 1000
  const result: PruneResult = { deleted: 0, statements: 0, maxDeletedByOneStatement: 0 }
  const stop = options.shouldStop ?? (() => false)
  let after = ''
  for (;;) {
    const page = await prisma.integration.findMany({
      where: { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: INTEGRATIONS_PER_PAGE,
      select: { id: true },
    })
    if (page.length === 0) return result
    const ids = page.map((row) => row.id)
    let deleted: number
    do {
      if (stop()) return result
      deleted = await deleteOldRuns(prisma, ids, retention, batchSize)
      result.deleted += deleted
      result.statements++
      result.maxDeletedByOneStatement = Math.max(result.maxDeletedByOneStatement, deleted)
    } while (deleted === batchSize)
    after = ids[ids.length - 1]!
  }
}

/**
 * One bounded DELETE over a page of integrations. Per integration, the run at rank keepRuns + 1 (newest first, ties
 * by id) is the cut-off; it and older runs go unless they failed within the window or are still running. Both
 * lookups walk the ("integrationId", "startedAt") index.
 */
function deleteOldRuns(
  prisma: PrismaClient,
  integrationIds: string[],
  retention: RunRetention,
  batchSize: number,
): Promise<number> {
  return prisma.$executeRaw`
    DELETE FROM "SyncRun" WHERE "id" IN (
      SELECT old."id" FROM "Integration" i
      CROSS JOIN LATERAL (
        SELECT newest."startedAt", newest."id" FROM "SyncRun" newest
        WHERE newest."integrationId" = i."id"
        ORDER BY newest."startedAt" DESC, newest."id" DESC
        OFFSET ${retention.keepRuns}::int LIMIT 1
      ) cutoff
      CROSS JOIN LATERAL (
        SELECT run."id" FROM "SyncRun" run
        WHERE run."integrationId" = i."id"
          AND (run."startedAt", run."id") <= (cutoff."startedAt", cutoff."id")
          AND run."outcome"::text <> 'RUNNING'
          AND (run."outcome"::text = 'SUCCESS'
            OR run."startedAt" < now() - ${retention.failedRunDays}::int * interval '1 day')
        LIMIT ${batchSize}::int
      ) old
      WHERE i."id" IN (${Prisma.join(integrationIds)})
      LIMIT ${batchSize}::int
    )`
}
