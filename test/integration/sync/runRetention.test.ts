// SyncRun history is pruned to the last N runs per integration plus the failed runs of the last D days, in bounded
// batches. Thousands of runs are seeded with SQL; the kept set is computed independently and compared exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pruneSyncHistory } from '../../../src/sync/runRetention.ts'
import { createRunRetentionJob } from '../../../src/sync/runRetentionJob.ts'
import { createTeam, createUser } from '../../support/factories.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'

const KEEP = 100
const FAILED_DAYS = 30
const MINUTE = 60_000
const outcomes = ['SUCCESS', 'PARTIAL', 'FAILED', 'AUTH_FAILED', 'RATE_LIMITED'] as const

interface SeededRun {
  id: string
  integrationId: string
  outcome: string
  /** Minutes before the seed's now(). */
  ageMinutes: number
}

let t: TestApp
const seeded: SeededRun[] = []

async function createIntegration(userId: string, subaccountId: string, appleId: string): Promise<string> {
  const row = await t.services.prisma.integration.create({
    data: {
      userId,
      subaccountId,
      appleId,
      credentialCiphertext: 'x',
      credentialKeyId: 'k',
      principalUrl: 'https://caldav.example/1/principal/',
      homeUrl: 'https://caldav.example/1/calendars/',
    },
  })
  return row.id
}

/**
 * `count` runs, one every `spacingMinutes` going back from now (offset by half a spacing so none sits on the
 * D-day boundary); the outcome of run i is outcomeOf(i). Inserted with one SQL statement, as the engine would
 * leave them after weeks of ticks.
 */
async function seedRuns(
  integrationId: string,
  count: number,
  spacingMinutes: number,
  outcomeOf: (i: number) => string,
) {
  const runs: SeededRun[] = []
  for (let i = 0; i < count; i++)
    runs.push({
      id: `${integrationId}-${String(i).padStart(5, '0')}`,
      integrationId,
      outcome: outcomeOf(i),
      ageMinutes: i * spacingMinutes + spacingMinutes / 2,
    })
  await t.services.prisma.$executeRawUnsafe(
    `INSERT INTO "SyncRun" ("id", "integrationId", "trigger", "outcome", "startedAt", "finishedAt")
     SELECT r.id, $1, 'CRON'::"SyncTrigger", r.outcome::"SyncOutcome",
       now() - r.age * interval '1 minute', now() - r.age * interval '1 minute' + interval '2 seconds'
     FROM unnest($2::text[], $3::text[], $4::float8[]) AS r(id, outcome, age)`,
    integrationId,
    runs.map((run) => run.id),
    runs.map((run) => run.outcome),
    runs.map((run) => run.ageMinutes),
  )
  seeded.push(...runs)
}

/** The rule, stated independently of the SQL: the newest KEEP runs, failed runs younger than D days, running runs. */
function expectedKept(): string[] {
  const kept: string[] = []
  for (const integrationId of new Set(seeded.map((run) => run.integrationId))) {
    const runs = seeded.filter((run) => run.integrationId === integrationId).sort((a, b) => a.ageMinutes - b.ageMinutes)
    runs.forEach((run, rank) => {
      const recentFailure = run.outcome !== 'SUCCESS' && run.ageMinutes * MINUTE < FAILED_DAYS * 86_400_000
      if (rank < KEEP || recentFailure || run.outcome === 'RUNNING') kept.push(run.id)
    })
  }
  return kept.sort()
}

beforeAll(async () => {
  // The background job reads its retention from the configuration (see the last test).
  t = await startTestApp({ SYNC_HISTORY_KEEP_RUNS: '3', SYNC_HISTORY_FAILED_DAYS: '0' })
  const team = await createTeam(t.services)
  const third = await createUser(t.services, team.subaccount.id)
  const busy = await createIntegration(team.user.id, team.subaccount.id, `busy-${Date.now()}@icloud.test`)
  const quiet = await createIntegration(team.admin.id, team.subaccount.id, `quiet-${Date.now()}@icloud.test`)
  const flaky = await createIntegration(third.id, team.subaccount.id, `flaky-${Date.now()}@icloud.test`)
  // Every 30 min for 62 days; one run in seven went wrong in some way.
  await seedRuns(busy, 3000, 30, (i) => (i % 7 === 3 ? outcomes[1 + (i % 4)]! : 'SUCCESS'))
  // Fewer runs than KEEP, all older than D days: all kept.
  await seedRuns(quiet, 60, 60 * 24, () => 'SUCCESS')
  // Mostly failing, every 20 min for 34 days, with a run still RUNNING far back (a process that died mid-run).
  await seedRuns(flaky, 2500, 20, (i) => (i === 1800 ? 'RUNNING' : i % 3 === 0 ? 'SUCCESS' : 'FAILED'))
}, 120_000)

afterAll(async () => {
  await t?.close()
})

describe('pruneSyncHistory', () => {
  it('keeps exactly the last runs per integration and the recent failures, in bounded statements', async () => {
    const before = await t.services.prisma.syncRun.count()
    expect(before).toBe(5560)
    const kept = expectedKept()

    const result = await pruneSyncHistory(t.services.prisma, {
      keepRuns: KEEP,
      failedRunDays: FAILED_DAYS,
      batchSize: 400,
    })

    const remaining = await t.services.prisma.syncRun.findMany({ select: { id: true }, orderBy: { id: 'asc' } })
    expect(remaining.map((run) => run.id)).toEqual(kept)
    expect(result.deleted).toBe(before - kept.length)
    // No statement deletes more than the batch size, so several were needed.
    expect(result.statements).toBeGreaterThanOrEqual(Math.ceil(result.deleted / 400))
    expect(result.maxDeletedByOneStatement).toBeLessThanOrEqual(400)
  })

  it('deletes nothing more when run again', async () => {
    const before = await t.services.prisma.syncRun.count()
    const result = await pruneSyncHistory(t.services.prisma, {
      keepRuns: KEEP,
      failedRunDays: FAILED_DAYS,
      batchSize: 400,
    })
    expect(result.deleted).toBe(0)
    expect(await t.services.prisma.syncRun.count()).toBe(before)
  })

  it('stops between statements when asked to', async () => {
    let asked = 0
    const result = await pruneSyncHistory(
      t.services.prisma,
      { keepRuns: 1, failedRunDays: 0, batchSize: 10 },
      { shouldStop: () => ++asked > 2 },
    )
    expect(result.statements).toBeLessThanOrEqual(2)
    expect(result.deleted).toBeLessThanOrEqual(20)
  })

  it('runs from the background jobs with the configured retention', async () => {
    const job = createRunRetentionJob(t.services)
    job.start()
    const counts = async () =>
      (
        await t.services.prisma.syncRun.groupBy({
          by: ['integrationId'],
          where: { outcome: { not: 'RUNNING' } },
          _count: true,
        })
      ).map((group) => group._count)
    for (let i = 0; i < 100 && (await counts()).some((count) => count > 3); i++)
      await new Promise((r) => setTimeout(r, 100))
    await job.stop()
    expect(await counts()).toEqual([3, 3, 3])
    expect(await t.services.prisma.syncRun.count({ where: { outcome: 'RUNNING' } })).toBe(1)
  })
})
