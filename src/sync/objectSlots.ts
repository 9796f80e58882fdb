// Turns stored or fetched iCalendar resources into CalendarObject + BlockedSlot rows. Shared by the incremental sync
// and the window maintenance, so both expand exactly alike.
import { expandCalendarResource, type Occurrence } from '../caldav/ical/index.ts'
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'
import { newId } from './ids.ts'
import type { CrmEventHooks } from './ports.ts'

export interface ExpandContext {
  windowStart: Date
  windowEnd: Date
  /** The user's zone: floating times and all-day dates are theirs. */
  defaultTimeZone: string
  /** integration.appleId and the user's e-mail: their own PARTSTAT=DECLINED does not block. */
  ownerEmails: string[]
}

export interface SlotOwner {
  userId: string
  subaccountId: string
}

export interface PreparedObject {
  href: string
  etag: string | null
  data: string
  uid: string | null
  uids: string[]
  parseError: string | null
  occurrences: Occurrence[]
}

/** Never throws: a resource that cannot be read is kept (raw) with its parse error and blocks nothing. */
export function prepareObject(
  object: { href: string; etag: string | null; data: string },
  ctx: ExpandContext,
): PreparedObject {
  try {
    const { occurrences, uids } = expandCalendarResource(object.data, ctx)
    return { ...object, uid: uids[0] ?? null, uids, parseError: null, occurrences }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { ...object, uid: null, uids: [], parseError: message.slice(0, 1000), occurrences: [] }
  }
}

/** Spans of time touched by a write: what blockedSlotsChanged reports. */
export class ChangedRange {
  from = Infinity
  to = -Infinity
  add(start: Date | null | undefined, end: Date | null | undefined): void {
    if (start) this.from = Math.min(this.from, start.getTime())
    if (end) this.to = Math.max(this.to, end.getTime())
  }
  merge(other: ChangedRange): void {
    this.from = Math.min(this.from, other.from)
    this.to = Math.max(this.to, other.to)
  }
  get empty(): boolean {
    return this.from === Infinity
  }
  toRange(): { from: Date | null; to: Date | null } {
    return this.empty ? { from: null, to: null } : { from: new Date(this.from), to: new Date(this.to) }
  }
}

export interface CalendarTarget {
  id: string
  /** Occurrences become blocked slots (a conflict calendar, or the linked one with alsoConflict). */
  blocking: boolean
}

type Db = Prisma.TransactionClient | PrismaClient

/** UID → appointment id, for CRM appointments this user takes part in (two-way events, never blocked slots). */
export async function findCrmAppointments(
  db: Db,
  userId: string,
  uids: Iterable<string>,
): Promise<Map<string, string>> {
  const list = [...new Set(uids)]
  const out = new Map<string, string>()
  for (let i = 0; i < list.length; i += 1000) {
    const rows = await db.appointmentParticipant.findMany({
      where: { userId, appointment: { icalUid: { in: list.slice(i, i + 1000) } } },
      select: { appointmentId: true, appointment: { select: { icalUid: true } } },
    })
    for (const row of rows) out.set(row.appointment.icalUid, row.appointmentId)
  }
  return out
}

// Rows per INSERT statement. Each statement binds one array per column (unnest), so its parameter count is fixed and
// one batch costs one round trip per table instead of one per row.
const OBJECT_UPSERT_CHUNK = 500
const SLOT_INSERT_CHUNK = 5000

function crmAppointmentOf(object: PreparedObject, crm: Map<string, string>): string | undefined {
  for (const uid of object.uids) {
    const id = crm.get(uid)
    if (id) return id
  }
  return undefined
}

export interface SlotRow {
  id: string
  userId: string
  subaccountId: string
  calendarId: string
  objectId: string
  recurrenceId: string | null
  start: Date
  end: Date
  allDay: boolean
  availability: 'BUSY' | 'FREE'
  title: string | null
}

export function slotRows(
  objectId: string,
  object: PreparedObject,
  calendar: CalendarTarget,
  owner: SlotOwner,
  crm: Map<string, string>,
): SlotRow[] {
  if (!calendar.blocking || object.parseError || crmAppointmentOf(object, crm)) return []
  return object.occurrences.map((o) => ({
    id: newId('s'),
    userId: owner.userId,
    subaccountId: owner.subaccountId,
    calendarId: calendar.id,
    objectId,
    recurrenceId: o.recurrenceId,
    start: o.busyStart,
    end: o.end,
    allDay: o.allDay,
    availability: o.transparency,
    title: o.title,
  }))
}

async function insertSlots(tx: Prisma.TransactionClient, rows: SlotRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += SLOT_INSERT_CHUNK) {
    const chunk = rows.slice(i, i + SLOT_INSERT_CHUNK)
    await tx.$executeRaw`
      INSERT INTO "BlockedSlot"
        ("id", "userId", "subaccountId", "calendarId", "objectId", "recurrenceId", "start", "end", "allDay",
         "availability", "source", "title")
      SELECT u.id, u.user_id, u.subaccount_id, u.calendar_id, u.object_id, u.recurrence_id, u.s, u.e, u.all_day,
             u.availability::"BusyStatus", 'ICLOUD'::"BlockedSlotSource", u.title
      FROM unnest(
        ${chunk.map((r) => r.id)}::text[], ${chunk.map((r) => r.userId)}::text[],
        ${chunk.map((r) => r.subaccountId)}::text[], ${chunk.map((r) => r.calendarId)}::text[],
        ${chunk.map((r) => r.objectId)}::text[], ${chunk.map((r) => r.recurrenceId)}::text[],
        ${chunk.map((r) => r.start.toISOString())}::timestamp(3)[], ${chunk.map((r) => r.end.toISOString())}::timestamp(3)[],
        ${chunk.map((r) => r.allDay)}::boolean[], ${chunk.map((r) => r.availability)}::text[],
        ${chunk.map((r) => r.title)}::text[]
      ) AS u(id, user_id, subaccount_id, calendar_id, object_id, recurrence_id, s, e, all_day, availability, title)`
  }
}

/**
 * Replaces the slots of objects wholesale: the old slots of `objectIds` go, `rows` are inserted. Returns how many were
 * removed and written; the span touched (old and new) goes into `range`. Objects created in the same transaction have
 * no slots yet: leave them out of `objectIds` and nothing is looked up for them.
 */
export async function replaceSlots(
  tx: Prisma.TransactionClient,
  objectIds: string[],
  rows: SlotRow[],
  range: ChangedRange,
): Promise<{ removed: number; written: number }> {
  let removed = 0
  for (let i = 0; i < objectIds.length; i += 1000) {
    const ids = objectIds.slice(i, i + 1000)
    const old = await tx.blockedSlot.aggregate({
      where: { objectId: { in: ids } },
      _min: { start: true },
      _max: { end: true },
      _count: true,
    })
    if (old._count === 0) continue
    range.add(old._min.start, old._max.end)
    removed += (await tx.blockedSlot.deleteMany({ where: { objectId: { in: ids } } })).count
  }
  await insertSlots(tx, rows)
  for (const row of rows) range.add(row.start, row.end)
  return { removed, written: rows.length }
}

/**
 * Upserts objects by (calendarId, href) — one statement per chunk — and returns each href's row id, and the ids of rows
 * that existed before (only those can have slots to replace). xmax = 0 marks a row this statement inserted.
 */
async function upsertObjects(
  tx: Prisma.TransactionClient,
  calendarId: string,
  objects: PreparedObject[],
): Promise<{ idByHref: Map<string, string>; existingIds: string[] }> {
  const idByHref = new Map<string, string>()
  const existingIds: string[] = []
  const now = new Date().toISOString()
  for (let i = 0; i < objects.length; i += OBJECT_UPSERT_CHUNK) {
    const chunk = objects.slice(i, i + OBJECT_UPSERT_CHUNK)
    const rows = await tx.$queryRaw<{ id: string; href: string; inserted: boolean }[]>`
      INSERT INTO "CalendarObject" ("id", "calendarId", "href", "etag", "uid", "data", "parseError", "updatedAt")
      SELECT u.id, ${calendarId}, u.href, u.etag, u.uid, u.data, u.parse_error, ${now}::timestamp(3)
      FROM unnest(
        ${chunk.map(() => newId('o'))}::text[], ${chunk.map((o) => o.href)}::text[], ${chunk.map((o) => o.etag)}::text[],
        ${chunk.map((o) => o.uid)}::text[], ${chunk.map((o) => o.data)}::text[], ${chunk.map((o) => o.parseError)}::text[]
      ) AS u(id, href, etag, uid, data, parse_error)
      ON CONFLICT ("calendarId", "href") DO UPDATE SET
        "etag" = EXCLUDED."etag", "uid" = EXCLUDED."uid", "data" = EXCLUDED."data",
        "parseError" = EXCLUDED."parseError", "updatedAt" = EXCLUDED."updatedAt"
      RETURNING "id", "href", ("xmax" = 0) AS inserted`
    for (const row of rows) {
      idByHref.set(row.href, row.id)
      if (!row.inserted) existingIds.push(row.id)
    }
  }
  return { idByHref, existingIds }
}

/**
 * Upserts fetched objects by (calendarId, href) and replaces their slots, in the caller's transaction. Idempotent:
 * writing the same resource twice leaves the same rows (the crash-safety argument in calendarSync.ts relies on it).
 * Costs a fixed number of statements per batch: one upsert and one slot insert per chunk, plus a slot lookup and
 * delete only when some of the objects were stored before.
 */
export async function writeObjects(
  tx: Prisma.TransactionClient,
  objects: PreparedObject[],
  calendar: CalendarTarget,
  owner: SlotOwner,
  crm: Map<string, string>,
  range: ChangedRange,
  crmEvents: CrmEventHooks,
): Promise<{ slotsWritten: number; slotsRemoved: number }> {
  if (objects.length === 0) return { slotsWritten: 0, slotsRemoved: 0 }
  // One row per href (a row cannot be upserted twice in one statement); the later answer wins.
  const unique = [...new Map(objects.map((o) => [o.href, o])).values()]
  const { idByHref, existingIds } = await upsertObjects(tx, calendar.id, unique)
  const slots: SlotRow[] = []
  for (const object of unique) slots.push(...slotRows(idByHref.get(object.href)!, object, calendar, owner, crm))
  const { removed, written } = await replaceSlots(tx, existingIds, slots, range)
  for (const object of unique) {
    const appointmentId = crmAppointmentOf(object, crm)
    if (!appointmentId) continue
    await crmEvents.changed(tx, {
      appointmentId,
      userId: owner.userId,
      calendarId: calendar.id,
      href: object.href,
      etag: object.etag,
      data: object.data,
    })
  }
  return { slotsWritten: written, slotsRemoved: removed }
}

/** Removes objects (their slots go by cascade) and reports CRM appointments deleted in iCloud. */
export async function deleteObjects(
  tx: Prisma.TransactionClient,
  hrefs: string[],
  calendar: CalendarTarget,
  owner: SlotOwner,
  range: ChangedRange,
  crmEvents: CrmEventHooks,
): Promise<{ objectsDeleted: number; slotsRemoved: number }> {
  let objectsDeleted = 0
  let slotsRemoved = 0
  for (let i = 0; i < hrefs.length; i += 1000) {
    const rows = await tx.calendarObject.findMany({
      where: { calendarId: calendar.id, href: { in: hrefs.slice(i, i + 1000) } },
      select: { id: true, href: true, uid: true },
    })
    if (rows.length === 0) continue
    const ids = rows.map((row) => row.id)
    const old = await tx.blockedSlot.aggregate({
      where: { objectId: { in: ids } },
      _min: { start: true },
      _max: { end: true },
      _count: true,
    })
    range.add(old._min.start, old._max.end)
    slotsRemoved += old._count
    const crm = await findCrmAppointments(
      tx,
      owner.userId,
      rows.flatMap((row) => (row.uid ? [row.uid] : [])),
    )
    for (const row of rows) {
      const appointmentId = row.uid ? crm.get(row.uid) : undefined
      if (appointmentId) {
        await crmEvents.deleted(tx, { appointmentId, userId: owner.userId, calendarId: calendar.id, href: row.href })
      }
    }
    objectsDeleted += (await tx.calendarObject.deleteMany({ where: { id: { in: ids } } })).count
  }
  return { objectsDeleted, slotsRemoved }
}
