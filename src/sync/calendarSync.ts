// Incremental sync of one remote calendar into CalendarObject and BlockedSlot rows.
//
// Cost: an unchanged calendar costs one request (sync-collection with the stored token, RFC 6578 §3.8 — on Radicale
// this is cheaper than a ctag PROPFIND, on iCloud about equal); a change costs that request plus one
// calendar-multiget per batch of changed hrefs, and database work proportional to the changed objects only.
//
// Crash safety. The stored sync token (Calendar.syncToken/ctag) only advances in the LAST transaction of a run, which
// also writes the last batch of objects and every deletion. Earlier batches (only when more than one batch changed,
// e.g. an initial sync) commit on their own, each object together with its slots. If the process dies at any point:
//  - before the last commit, the old token is still stored, so the next run is told about every change since that
//    token again (a superset of what was committed). Objects are upserted by (calendarId, href) and their slots are
//    replaced wholesale by objectId in the same transaction, so re-applying a committed batch changes nothing and
//    duplicates nothing; an object whose stored ETag already equals the listed one is not even fetched again, so an
//    interrupted initial sync resumes where it stopped. Deletions are re-reported and applied then.
//  - after the last commit, everything of the run is stored, token included.
// A half-written batch cannot exist: each batch is one transaction. Nothing is lost, nothing is duplicated.
import {
  CalDavAuthError,
  CalDavError,
  CalDavInvalidSyncTokenError,
  CalDavRateLimitedError,
  type CalDavClient,
  type MultigetResult,
} from '../caldav/index.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import {
  ChangedRange,
  deleteObjects,
  findCrmAppointments,
  prepareObject,
  writeObjects,
  type CalendarTarget,
  type ExpandContext,
  type PreparedObject,
  type SlotOwner,
} from './objectSlots.ts'
import type { CrmEventHooks } from './ports.ts'
import { readAhead } from './readAhead.ts'

export interface SyncCalendarRow extends CalendarTarget {
  url: string
  path: string
  syncToken: string | null
  ctag: string | null
  lastSyncedAt: Date | null
}

export interface RunCounters {
  calendarsChecked: number
  calendarsChanged: number
  objectsFetched: number
  objectsDeleted: number
  slotsWritten: number
  parseErrors: number
  errors: { calendarId?: string; href?: string; message: string }[]
}

export interface CalendarSyncContext {
  prisma: PrismaClient
  client: CalDavClient
  owner: SlotOwner
  expand: ExpandContext
  counters: RunCounters
  /** Changed hrefs fetched per calendar-multiget. */
  batchSize: number
  /** Objects written per transaction (whole multiget batches are collected up to at least this many). */
  writeBatchSize: number
  /** calendar-multiget requests in flight at once while earlier batches are stored. */
  fetchConcurrency: number
  /** Throws when this process lost the integration's lease (another process may sync it now). */
  assertLease(): void
  /** After each committed batch: progress for the SyncRun row. */
  onProgress?(): Promise<void>
  transactionTimeoutMs: number
  /** Two-way sync of CRM appointments on the linked calendar. */
  crmEvents: CrmEventHooks
}

export interface CalendarSyncResult {
  changed: boolean
  slotsChanged: boolean
  range: ChangedRange
}

interface Listing {
  /** Hrefs (paths) to fetch, with the ETag the server listed (null: unknown, fetch). */
  changed: { href: string; etag: string | null }[]
  deleted: string[]
  syncToken: string | null
  ctag: string | null
  /** The listing names every object: stored hrefs it lacks are deletions. */
  complete: boolean
}

const isFatal = (error: unknown) => error instanceof CalDavAuthError || error instanceof CalDavRateLimitedError

async function storedEtags(
  prisma: PrismaClient,
  calendarId: string,
  hrefs: string[] | 'all',
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>()
  if (hrefs === 'all') {
    const rows = await prisma.calendarObject.findMany({ where: { calendarId }, select: { href: true, etag: true } })
    for (const row of rows) out.set(row.href, row.etag)
    return out
  }
  for (let i = 0; i < hrefs.length; i += 1000) {
    const rows = await prisma.calendarObject.findMany({
      where: { calendarId, href: { in: hrefs.slice(i, i + 1000) } },
      select: { href: true, etag: true },
    })
    for (const row of rows) out.set(row.href, row.etag)
  }
  return out
}

/** ETag listing (PROPFIND Depth 1) for the diff; the token is read first, so changes during the listing are seen again. */
async function fullListing(client: CalDavClient, calendar: SyncCalendarRow): Promise<Listing> {
  const state = await client.getCollectionState(calendar.url)
  const objects = await client.listObjectEtags(calendar.url)
  return {
    changed: objects.map((o) => ({ href: o.href, etag: o.etag === '' ? null : o.etag })),
    deleted: [],
    syncToken: state.syncToken,
    ctag: state.ctag,
    complete: true,
  }
}

async function list(ctx: CalendarSyncContext, calendar: SyncCalendarRow): Promise<Listing | 'unchanged'> {
  const { client } = ctx
  // A token or ctag seen at discovery is not ours: only a calendar this engine has synced has a usable one.
  const synced = calendar.lastSyncedAt !== null
  if (synced && calendar.syncToken) {
    try {
      const r = await client.syncCollection(calendar.url, calendar.syncToken)
      return { changed: r.changed, deleted: r.deleted, syncToken: r.syncToken, ctag: null, complete: false }
    } catch (error) {
      // RFC 6578 §3.2 (and iCloud's bare 403, Xandikos' 500): the token expired; diff against a full ETag listing.
      if (error instanceof CalDavInvalidSyncTokenError) return fullListing(client, calendar)
      throw error
    }
  }
  if (synced && calendar.ctag) {
    // A server without sync-collection: the ctag says whether anything changed (one PROPFIND).
    const state = await client.getCollectionState(calendar.url)
    if (state.ctag === calendar.ctag) return 'unchanged'
    return fullListing(client, calendar)
  }
  try {
    const r = await client.syncCollection(calendar.url, null)
    return { changed: r.changed, deleted: [], syncToken: r.syncToken, ctag: null, complete: true }
  } catch (error) {
    if (isFatal(error) || !(error instanceof CalDavError)) throw error
    return fullListing(client, calendar)
  }
}

export async function syncCalendar(ctx: CalendarSyncContext, calendar: SyncCalendarRow): Promise<CalendarSyncResult> {
  const { prisma, client, counters } = ctx
  const range = new ChangedRange()
  counters.calendarsChecked++
  const listing = await list(ctx, calendar)
  const now = new Date()
  if (listing === 'unchanged') {
    await prisma.calendar.update({ where: { id: calendar.id }, data: { lastCheckedAt: now, lastError: null } })
    return { changed: false, slotsChanged: false, range }
  }

  // Skip what is stored with the same ETag: resumes an interrupted initial sync, and sync-collection may report
  // resources whose content did not change.
  const stored = await storedEtags(
    prisma,
    calendar.id,
    listing.complete ? 'all' : [...listing.changed.map((c) => c.href), ...listing.deleted],
  )
  const toFetch = listing.changed.filter((c) => c.etag === null || stored.get(c.href) !== c.etag).map((c) => c.href)
  const deleted = new Set(listing.deleted)
  if (listing.complete) {
    // Nothing stored (a first sync): nothing can be deleted, and no set of the listed hrefs is needed.
    if (stored.size > 0) {
      const listed = new Set(listing.changed.map((c) => c.href))
      for (const href of stored.keys()) if (!listed.has(href)) deleted.add(href)
    }
  } else {
    for (const href of [...deleted]) if (!stored.has(href)) deleted.delete(href)
  }
  stored.clear()
  listing.changed = [] // only the hrefs to fetch are kept for the rest of the run

  if (toFetch.length === 0 && deleted.size === 0) {
    await prisma.calendar.update({
      where: { id: calendar.id },
      data: {
        syncToken: listing.syncToken,
        ctag: listing.ctag ?? calendar.ctag,
        lastCheckedAt: now,
        lastSyncedAt: now,
        lastError: null,
      },
    })
    return { changed: false, slotsChanged: false, range }
  }
  counters.calendarsChanged++

  let slotsChanged = false
  // Fetched in multiget batches of `batchSize`, written in transactions of about `writeBatchSize` objects: a
  // transaction has a fixed cost (a handful of statements), so fewer, larger ones store faster. The fetches run ahead
  // of the writes (`fetchConcurrency` requests in flight, up to two write batches ahead), so the server keeps serving
  // while a batch is parsed and stored: the engine's work hides behind the server's.
  const fetches: (() => Promise<MultigetResult>)[] = []
  for (let i = 0; i < toFetch.length; i += ctx.batchSize) {
    const hrefs = toFetch.slice(i, i + ctx.batchSize)
    fetches.push(() => client.multiget(calendar.url, hrefs, hrefs.length))
  }
  const batchesPerWrite = Math.max(1, Math.ceil(ctx.writeBatchSize / ctx.batchSize))
  const fetched = readAhead(fetches, { concurrency: ctx.fetchConcurrency, ahead: 2 * batchesPerWrite })[
    Symbol.asyncIterator
  ]()
  let consumed = 0
  let buffer: PreparedObject[] = []
  try {
    for (;;) {
      if (consumed < fetches.length) {
        const step = await fetched.next()
        consumed++
        ctx.assertLease()
        const answer = step.value as MultigetResult
        // Deleted between the listing and the fetch: removed with the other deletions in the last transaction.
        for (const href of answer.gone) deleted.add(href)
        for (const object of answer.objects) {
          const p = prepareObject(object, ctx.expand)
          if (p.parseError) {
            counters.parseErrors++
            counters.errors.push({ calendarId: calendar.id, href: p.href, message: p.parseError })
          }
          buffer.push(p)
        }
      }
      const last = consumed === fetches.length
      if (!last && buffer.length < ctx.writeBatchSize) continue
      const batch = buffer
      buffer = [] // the raw data of a batch is dropped as soon as it is stored
      const crm = await findCrmAppointments(
        prisma,
        ctx.owner.userId,
        batch.flatMap((p) => p.uids),
      )
      ctx.assertLease()
      const result = await prisma.$transaction(
        async (tx) => {
          const written = await writeObjects(tx, batch, calendar, ctx.owner, crm, range, ctx.crmEvents)
          if (!last) return { ...written, objectsDeleted: 0, deletedSlots: 0 }
          const removed = await deleteObjects(tx, [...deleted], calendar, ctx.owner, range, ctx.crmEvents)
          // The token advances only here, with the last batch and the deletions (see the comment at the top).
          await tx.calendar.update({
            where: { id: calendar.id },
            data: {
              syncToken: listing.syncToken,
              ctag: listing.ctag,
              lastCheckedAt: now,
              lastSyncedAt: new Date(),
              lastError: null,
            },
          })
          return { ...written, objectsDeleted: removed.objectsDeleted, deletedSlots: removed.slotsRemoved }
        },
        { timeout: ctx.transactionTimeoutMs, maxWait: ctx.transactionTimeoutMs },
      )
      counters.objectsFetched += batch.length
      counters.objectsDeleted += result.objectsDeleted
      counters.slotsWritten += result.slotsWritten
      if (result.slotsWritten > 0 || result.slotsRemoved > 0 || result.deletedSlots > 0) slotsChanged = true
      await ctx.onProgress?.()
      if (last) break
    }
  } finally {
    await fetched.return(undefined) // stops fetching when a write or the lease check failed
  }
  return { changed: true, slotsChanged, range }
}
