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
  /** Listings a check of this run already made (probe.ts): used once each instead of asking again. */
  probed?: Map<string, ProbedListing>
}

/** What listing a calendar gave: its changes, 'unchanged' (same ctag), or the error it failed with. */
export type ProbedListing = { listing: Listing | 'unchanged' } | { error: unknown }

export interface CalendarSyncResult {
  changed: boolean
  slotsChanged: boolean
  range: ChangedRange
}

export interface Listing {
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
  const probed = ctx.probed?.get(calendar.id)
  if (probed) {
    ctx.probed!.delete(calendar.id) // once: a calendar synced again after a home relocation asks the new host
    if ('error' in probed) throw probed.error
    return probed.listing
  }
  return listChanges(ctx.client, calendar)
}

/** The cheapest listing that says what changed since the stored token or ctag (one request when nothing did). */
export async function listChanges(client: CalDavClient, calendar: SyncCalendarRow): Promise<Listing | 'unchanged'> {
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
  const { prisma, counters } = ctx
  const range = new ChangedRange()
  counters.calendarsChecked++
  const listing = await list(ctx, calendar)
  const now = new Date()
  if (listing === 'unchanged') {
    await prisma.calendar.update({ where: { id: calendar.id }, data: { lastCheckedAt: now, lastError: null } })
    return { changed: false, slotsChanged: false, range }
  }
  const { toFetch, deleted } = await planChanges(prisma, calendar.id, listing)
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
  const slotsChanged = await fetchAndStore(ctx, calendar, { listing, toFetch, deleted, checkedAt: now }, range)
  return { changed: true, slotsChanged, range }
}

/**
 * What to fetch and what to delete. What is stored with the listed ETag is skipped: that resumes an interrupted
 * initial sync, and sync-collection may report resources whose content did not change.
 */
async function planChanges(
  prisma: PrismaClient,
  calendarId: string,
  listing: Listing,
): Promise<{ toFetch: string[]; deleted: Set<string> }> {
  const stored = await storedEtags(
    prisma,
    calendarId,
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
  listing.changed = [] // only the hrefs to fetch are kept for the rest of the run
  return { toFetch, deleted }
}

interface Plan {
  listing: Listing
  toFetch: string[]
  /** Grows while fetching: hrefs a multiget answers 404 for. */
  deleted: Set<string>
  checkedAt: Date
}

/**
 * Fetched in multiget batches of `batchSize`, written in transactions of about `writeBatchSize` objects: a
 * transaction has a fixed cost (a handful of statements), so fewer, larger ones store faster. The fetches run ahead
 * of the writes (`fetchConcurrency` requests in flight, up to two write batches ahead), so the server keeps serving
 * while a batch is parsed and stored: the engine's work hides behind the server's. True when slots changed.
 */
async function fetchAndStore(
  ctx: CalendarSyncContext,
  calendar: SyncCalendarRow,
  plan: Plan,
  range: ChangedRange,
): Promise<boolean> {
  const fetches: (() => Promise<MultigetResult>)[] = []
  for (let i = 0; i < plan.toFetch.length; i += ctx.batchSize) {
    const hrefs = plan.toFetch.slice(i, i + ctx.batchSize)
    fetches.push(() => ctx.client.multiget(calendar.url, hrefs, hrefs.length))
  }
  const batchesPerWrite = Math.max(1, Math.ceil(ctx.writeBatchSize / ctx.batchSize))
  const fetched = readAhead(fetches, { concurrency: ctx.fetchConcurrency, ahead: 2 * batchesPerWrite })[
    Symbol.asyncIterator
  ]()
  let slotsChanged = false
  let consumed = 0
  let buffer: PreparedObject[] = []
  try {
    for (;;) {
      if (consumed < fetches.length) {
        const step = await fetched.next()
        consumed++
        ctx.assertLease()
        buffer.push(...prepareAnswer(ctx, calendar, step.value as MultigetResult, plan.deleted))
      }
      const last = consumed === fetches.length
      if (!last && buffer.length < ctx.writeBatchSize) continue
      const batch = buffer
      buffer = [] // the raw data of a batch is dropped as soon as it is stored
      if (await storeBatch(ctx, calendar, batch, last ? plan : null, range)) slotsChanged = true
      if (last) break
    }
  } finally {
    await fetched.return(undefined) // stops fetching when a write or the lease check failed
  }
  return slotsChanged
}

/** Parses one multiget answer; hrefs deleted between the listing and the fetch join the deletions. */
function prepareAnswer(
  ctx: CalendarSyncContext,
  calendar: SyncCalendarRow,
  answer: MultigetResult,
  deleted: Set<string>,
): PreparedObject[] {
  for (const href of answer.gone) deleted.add(href)
  return answer.objects.map((object) => {
    const p = prepareObject(object, ctx.expand)
    if (p.parseError) {
      ctx.counters.parseErrors++
      ctx.counters.errors.push({ calendarId: calendar.id, href: p.href, message: p.parseError })
    }
    return p
  })
}

/**
 * One write transaction. The last one (`plan` given) also applies the deletions and advances the token: the token
 * moves only here, with the last batch (see the comment at the top). True when slots changed.
 */
async function storeBatch(
  ctx: CalendarSyncContext,
  calendar: SyncCalendarRow,
  batch: PreparedObject[],
  plan: Plan | null,
  range: ChangedRange,
): Promise<boolean> {
  const { prisma, counters } = ctx
  const crm = await findCrmAppointments(
    prisma,
    ctx.owner.userId,
    batch.flatMap((p) => p.uids),
  )
  ctx.assertLease()
  const result = await prisma.$transaction(
    async (tx) => {
      const written = await writeObjects(tx, batch, calendar, ctx.owner, crm, range, ctx.crmEvents)
      if (!plan) return { ...written, objectsDeleted: 0, deletedSlots: 0 }
      const removed = await deleteObjects(tx, [...plan.deleted], calendar, ctx.owner, range, ctx.crmEvents)
      await tx.calendar.update({
        where: { id: calendar.id },
        data: {
          syncToken: plan.listing.syncToken,
          ctag: plan.listing.ctag,
          lastCheckedAt: plan.checkedAt,
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
  await ctx.onProgress?.()
  return result.slotsWritten > 0 || result.slotsRemoved > 0 || result.deletedSlots > 0
}
