// iCloud moves accounts between partition hosts (pNN-caldav.icloud.com, ICLOUD.md "homes that move"): the old host
// then answers 404 (or 301 to the new host) for the whole calendar home. Calendars are identified by their path in
// the home, so the cure is discovery again (principal → calendar-home-set) and the same paths under the new home. Sync
// state is kept: the server decides whether it still accepts a token (if not, the ETag diff takes over).
import { CalDavAuthError, CalDavNotFoundError, CalDavRateLimitedError, type CalDavClient } from '../caldav/index.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import type { SyncCalendarRow } from './calendarSync.ts'

const HOME_LOST_MESSAGE =
  "iCloud moved this account's calendars to another server and their new place could not be found. " +
  'Choose "Refresh calendars" for this integration, or reconnect the iCloud account; if that does not help, check ' +
  'that iCloud Calendar is turned on for this Apple ID.'

/** Discovery after a move failed: the integration cannot sync until the user acts. */
export class HomeLostError extends Error {
  constructor(cause: unknown) {
    super(HOME_LOST_MESSAGE, { cause })
    this.name = 'HomeLostError'
  }
}

/** The signs of a moved home: every calendar answered 404/410, or the home answered 301/308 to another host. */
export function homeLooksMoved(client: CalDavClient, errors: unknown[], calendarCount: number): boolean {
  if (client.homeMovedPermanently) return true
  return calendarCount > 0 && errors.length === calendarCount && errors.every((e) => e instanceof CalDavNotFoundError)
}

/**
 * Finds the home again and re-maps `calendars` (their url and path are updated in place and in the database).
 * Returns false when discovery names the same home (the calendars are really gone); throws HomeLostError when
 * discovery fails, except for the password or throttling, which end the run as they always do.
 */
export async function relocateHome(
  prisma: PrismaClient,
  client: CalDavClient,
  integration: { id: string; homeUrl: string },
  calendars: SyncCalendarRow[],
): Promise<boolean> {
  let found: { principalUrl: string; homeUrl: string }
  try {
    found = await client.discover()
  } catch (error) {
    if (error instanceof CalDavAuthError || error instanceof CalDavRateLimitedError) throw error
    throw new HomeLostError(error)
  }
  if (found.homeUrl === integration.homeUrl) return false
  const oldHome = new URL(integration.homeUrl).pathname
  const newHome = new URL(found.homeUrl)
  const moved = new Map<string, { path: string; url: string }>()
  await prisma.$transaction(async (tx) => {
    await tx.integration.update({
      where: { id: integration.id },
      data: { homeUrl: found.homeUrl, principalUrl: found.principalUrl },
    })
    // Every calendar row of the integration, chosen or not: the URLs are a cache of "path under the home".
    const rows = await tx.calendar.findMany({
      where: { integrationId: integration.id },
      select: { id: true, path: true },
    })
    for (const row of rows) {
      if (!row.path.startsWith(oldHome)) continue
      const path = newHome.pathname + row.path.slice(oldHome.length)
      const url = new URL(path, newHome).href
      moved.set(row.id, { path, url })
      await tx.calendar.update({ where: { id: row.id }, data: { path, url } })
    }
  })
  for (const calendar of calendars) Object.assign(calendar, moved.get(calendar.id))
  integration.homeUrl = found.homeUrl
  return true
}
