// Unchanged checks are recorded in batches: one statement writes, for every integration of the batch whose lease this
// process still holds, its schedule and status (lease released), its calendars' tokens and check times, and its
// SUCCESS SyncRun. A worker checking thousands of integrations a tick thus pays a fraction of a statement for each,
// instead of the full run's ten. The tokens advance only in that statement, so they advance only with the commit.
import type { SyncServices as Services } from './ports.ts'
import { newId } from './ids.ts'
import type { UnchangedCheck } from './probe.ts'

/** Writes wait at most this long for others to join them. */
const FLUSH_AFTER_MS = 25
const MAX_BATCH = 1000

export interface UnchangedRun extends UnchangedCheck {
  integrationId: string
  startedAt: Date
  nextSyncAt: Date
}

interface Pending {
  run: UnchangedRun
  syncRunId: string
  resolve: (recorded: string | null) => void
  reject: (error: unknown) => void
}

type WriterServices = Pick<Services, 'prisma' | 'instanceId'>

const writers = new WeakMap<object, UnchangedRunWriter>()

/** Records an unchanged run; resolves with its SyncRun id, or null when the lease was lost (nothing written). */
export function recordUnchanged(services: WriterServices, run: UnchangedRun): Promise<string | null> {
  let writer = writers.get(services)
  if (!writer) writers.set(services, (writer = new UnchangedRunWriter(services)))
  return writer.add(run)
}

class UnchangedRunWriter {
  private pending: Pending[] = []
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly services: WriterServices) {}

  add(run: UnchangedRun): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.pending.push({ run, syncRunId: newId(), resolve, reject })
      if (this.pending.length >= MAX_BATCH) this.flush()
      else this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS)
    })
  }

  private flush() {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const batch = this.pending
    this.pending = []
    writeBatch(this.services, batch).then(
      (recorded) => {
        for (const p of batch) p.resolve(recorded.has(p.run.integrationId) ? p.syncRunId : null)
      },
      (error: unknown) => {
        for (const p of batch) p.reject(error)
      },
    )
  }
}

async function writeBatch(services: WriterServices, batch: Pending[]): Promise<Set<string>> {
  if (batch.length === 0) return new Set()
  const now = new Date().toISOString()
  const runs = batch.map((p) => ({
    integrationId: p.run.integrationId,
    syncRunId: p.syncRunId,
    calendarsChecked: p.run.calendars.length,
    requestCount: p.run.requests.count,
    startedAt: p.run.startedAt.toISOString(),
    nextSyncAt: p.run.nextSyncAt.toISOString(),
  }))
  const calendars = batch.flatMap((p) => p.run.calendars.map((c) => ({ ...c, integrationId: p.run.integrationId })))
  const rows = await services.prisma.$queryRaw<{ id: string }[]>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(runs)}::jsonb) AS x("integrationId" text, "syncRunId" text,
        "calendarsChecked" int, "requestCount" int, "startedAt" timestamp(3), "nextSyncAt" timestamp(3))
    ), cal AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(calendars)}::jsonb) AS y("id" text, "integrationId" text,
        "syncToken" text, "tokenListed" boolean)
    ), released AS (
      UPDATE "Integration" i SET "leaseOwner" = NULL, "leaseUntil" = NULL, "lastError" = NULL, "lastSyncedAt" = ${now}::timestamp(3), "consecutiveFailures" = 0,
        "rateLimitedUntil" = NULL, "nextSyncAt" = input."nextSyncAt", "quietRuns" = i."quietRuns" + 1, "updatedAt" = ${now}::timestamp(3)
      FROM input
      WHERE i."id" = input."integrationId" AND i."leaseOwner" = ${services.instanceId}
        AND i."status"::text = 'CONNECTED'
      RETURNING i."id"
    ), calendars AS (
      UPDATE "Calendar" c SET "lastCheckedAt" = ${now}::timestamp(3), "lastError" = NULL,
        "syncToken" = CASE WHEN cal."tokenListed" THEN cal."syncToken" ELSE c."syncToken" END,
        "lastSyncedAt" = CASE WHEN cal."tokenListed" THEN ${now}::timestamp(3) ELSE c."lastSyncedAt" END
      FROM cal WHERE c."id" = cal."id" AND cal."integrationId" IN (SELECT "id" FROM released)
    ), interrupted AS (
      UPDATE "SyncRun" r SET "outcome" = 'FAILED', "finishedAt" = ${now}::timestamp(3),
        "errors" = '[{"message":"Interrupted (the process stopped)"}]'::jsonb
      WHERE r."integrationId" IN (SELECT "id" FROM released) AND r."outcome"::text = 'RUNNING'
    ), runs AS (
      INSERT INTO "SyncRun" ("id", "integrationId", "trigger", "outcome", "startedAt", "finishedAt",
        "calendarsChecked", "requestCount")
      SELECT input."syncRunId", input."integrationId", 'CRON'::"SyncTrigger", 'SUCCESS'::"SyncOutcome",
        input."startedAt", ${now}::timestamp(3), input."calendarsChecked", input."requestCount"
      FROM input JOIN released ON released."id" = input."integrationId"
    )
    SELECT "id" FROM released`
  return new Set(rows.map((row) => row.id))
}
