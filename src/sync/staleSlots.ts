// Which integrations of a batch still have iCloud slots of calendars they no longer block on (a linked calendar
// switched to alsoConflict=false): their run must drop them (calendarSet.ts), so they are not checked the cheap way.
import type { PrismaClient } from '../generated/prisma/client.ts'
import { calendarsToSync, type IntegrationForSync } from './calendarSet.ts'

export async function staleSlotIntegrations(prisma: PrismaClient, batch: IntegrationForSync[]): Promise<Set<string>> {
  const blocking = batch.flatMap((i) =>
    calendarsToSync(i)
      .filter((c) => c.blocking)
      .map((c) => c.id),
  )
  const rows = await prisma.$queryRaw<{ integrationId: string }[]>`
    SELECT DISTINCT c."integrationId" FROM "Calendar" c
    WHERE c."integrationId" IN (SELECT jsonb_array_elements_text(${JSON.stringify(batch.map((i) => i.id))}::jsonb))
      AND c."id" NOT IN (SELECT jsonb_array_elements_text(${JSON.stringify(blocking)}::jsonb))
      AND EXISTS (SELECT 1 FROM "BlockedSlot" b WHERE b."calendarId" = c."id" AND b."source"::text = 'ICLOUD')`
  return new Set(rows.map((row) => row.integrationId))
}
