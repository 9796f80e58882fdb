// What the cheap check of claimed integrations needs (probe.ts), loaded for a whole batch in one statement: the
// integration's schedule and login, its user's zone, the calendars a run syncs, and whether iCloud slots of calendars
// it no longer blocks on are left (those need the full run). Prisma's findMany with includes took four statements
// and joined a thousand integrations' relations in JavaScript, long enough to stall every check in flight.
import type { IntegrationStatus, PrismaClient } from '../generated/prisma/client.ts'
import type { SyncCalendarRow } from './calendarSync.ts'

export interface IntegrationToCheck {
  id: string
  status: IntegrationStatus
  appleId: string
  credentialCiphertext: string
  homeUrl: string
  windowStart: Date | null
  windowEnd: Date | null
  windowTimeZone: string | null
  attentionUntil: Date | null
  quietRuns: number
  userTimeZone: string
  /** The conflict calendars, and the linked one unless it is one of them (as calendarsToSync). */
  calendars: SyncCalendarRow[]
  /** iCloud slots of calendars it no longer blocks on are left: the full run drops them (calendarSet.ts). */
  staleSlots: boolean
}

interface CalendarJson {
  id: string
  url: string
  path: string
  syncToken: string | null
  ctag: string | null
  lastSyncedAt: number | null
  blocking: boolean
}

type Row = Omit<IntegrationToCheck, 'calendars'> & { calendars: CalendarJson[] }

export async function loadIntegrationsToCheck(
  prisma: PrismaClient,
  ids: string[],
): Promise<Map<string, IntegrationToCheck>> {
  if (ids.length === 0) return new Map()
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT i."id", i."status"::text AS "status", i."appleId", i."credentialCiphertext", i."homeUrl",
      i."windowStart", i."windowEnd", i."windowTimeZone", i."attentionUntil", i."quietRuns",
      u."timeZone" AS "userTimeZone",
      COALESCE((
        SELECT json_agg(json_build_object('id', c."id", 'url', c."url", 'path', c."path", 'syncToken', c."syncToken",
          'ctag', c."ctag", 'lastSyncedAt', extract(epoch FROM c."lastSyncedAt") * 1000, 'blocking', chosen."blocking"))
        FROM (
          SELECT cc."calendarId", true AS "blocking" FROM "ConflictCalendar" cc WHERE cc."integrationId" = i."id"
          UNION ALL
          SELECT l."calendarId", l."alsoConflict" FROM "LinkedCalendar" l
          WHERE l."integrationId" = i."id"
            AND NOT EXISTS (SELECT 1 FROM "ConflictCalendar" cc WHERE cc."calendarId" = l."calendarId")
        ) chosen JOIN "Calendar" c ON c."id" = chosen."calendarId"
      ), '[]'::json) AS "calendars",
      EXISTS (
        SELECT 1 FROM "Calendar" c
        WHERE c."integrationId" = i."id"
          AND NOT EXISTS (SELECT 1 FROM "ConflictCalendar" cc WHERE cc."calendarId" = c."id")
          AND NOT EXISTS (SELECT 1 FROM "LinkedCalendar" l WHERE l."calendarId" = c."id" AND l."alsoConflict")
          AND EXISTS (SELECT 1 FROM "BlockedSlot" b WHERE b."calendarId" = c."id" AND b."source"::text = 'ICLOUD')
      ) AS "staleSlots"
    FROM "Integration" i JOIN "User" u ON u."id" = i."userId"
    WHERE i."id" IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`
  return new Map(rows.map((row) => [row.id, { ...row, calendars: row.calendars.map(calendarRow) }]))
}

function calendarRow(c: CalendarJson): SyncCalendarRow {
  return { ...c, lastSyncedAt: c.lastSyncedAt === null ? null : new Date(c.lastSyncedAt) }
}
