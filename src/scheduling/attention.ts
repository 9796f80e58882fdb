// Freshness follows attention: a look at a CRM calendar (availability queried, or a subscription open) makes its
// members' integrations hot for SYNC_ATTENTION_MINUTES: the sync engine checks them every SYNC_HOT_INTERVAL_SECONDS
// (src/sync/schedule.ts) and pulls in a later scheduled check. Recorded in the database, so every worker sees it;
// at most once a minute per calendar and process, off the request's path (a failure only logs).
import type { Services } from '../app/services.ts'

const RECORD_EVERY_MS = 60_000
const recorded = new WeakMap<object, Map<string, number>>()

export function noteAttention(services: Pick<Services, 'prisma' | 'config' | 'logger'>, calendarId: string): void {
  const { attentionMinutes, hotIntervalSeconds } = services.config.sync
  if (attentionMinutes === 0) return
  let last = recorded.get(services.prisma)
  if (!last) recorded.set(services.prisma, (last = new Map()))
  const now = Date.now()
  if (now - (last.get(calendarId) ?? 0) < RECORD_EVERY_MS) return
  last.set(calendarId, now)
  if (last.size > 10_000) last.clear() // a bound on memory; forgetting only costs an early write
  services.prisma.$executeRaw`
    UPDATE "Integration" SET "attentionUntil" = now() + (${attentionMinutes}::int * interval '1 minute'),
      "quietRuns" = 0,
      "nextSyncAt" = LEAST("nextSyncAt", now() + (${hotIntervalSeconds}::int * interval '1 second'))
    WHERE "userId" IN (SELECT "userId" FROM "CrmCalendarMember" WHERE "calendarId" = ${calendarId})
      AND "status"::text IN ('CONNECTED', 'ERROR')`.catch((error: unknown) =>
    services.logger.warn({ err: error, calendarId }, 'recording attention failed'),
  )
}

/** While a subscription is open its calendar stays hot: renewed every minute until `stop` resolves. */
export function keepAttention(
  services: Pick<Services, 'prisma' | 'config' | 'logger'>,
  calendarId: string,
): () => void {
  const timer = setInterval(() => {
    recorded.get(services.prisma)?.delete(calendarId)
    noteAttention(services, calendarId)
  }, RECORD_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
