// Turns stored or fetched iCalendar resources into CalendarObject + BlockedSlot rows. Shared by the incremental sync
// and the window maintenance, so both expand exactly alike.
import { expandCalendarResource, type Occurrence } from '../caldav/ical/index.ts'
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'
import { onCrmEventChanged, onCrmEventDeleted } from './crmEvents.ts'
import { newId } from './ids.ts'

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

const SLOT_INSERT_CHUNK = 2000

function crmAppointmentOf(object: PreparedObject, crm: Map<string, string>): string | undefined {
  for (const uid of object.uids) {
    const id = crm.get(uid)
    if (id) return id
  }
  return undefined
}

export function slotRows(
  objectId: string,
  object: PreparedObject,
  calendar: CalendarTarget,
  owner: SlotOwner,
  crm: Map<string, string>,
): Prisma.BlockedSlotCreateManyInput[] {
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
    source: 'ICLOUD' as const,
    title: o.title,
  }))
}

/** Replaces the slots of objects wholesale; returns how many were written and the span touched (old and new). */
export async function replaceSlots(
  tx: Prisma.TransactionClient,
  objectIds: string[],
  rows: Prisma.BlockedSlotCreateManyInput[],
  range: ChangedRange,
): Promise<{ removed: number; written: number }> {
  let removed = 0
  for (let i = 0; i < objectIds.length; i += 1000) {
    const ids = objectIds.slice(i, i + 1000)
    const old = await tx.blockedSlot.aggregate({
      where: { objectId: { in: ids } },
      _min: { start: true },
      _max: { end: true },
    })
    range.add(old._min.start, old._max.end)
    removed += (await tx.blockedSlot.deleteMany({ where: { objectId: { in: ids } } })).count
  }
  for (let i = 0; i < rows.length; i += SLOT_INSERT_CHUNK) {
    await tx.blockedSlot.createMany({ data: rows.slice(i, i + SLOT_INSERT_CHUNK) })
  }
  for (const row of rows) range.add(row.start as Date, row.end as Date)
  return { removed, written: rows.length }
}

/**
 * Upserts fetched objects by (calendarId, href) and replaces their slots, in the caller's transaction. Idempotent:
 * writing the same resource twice leaves the same rows (the crash-safety argument in calendarSync.ts relies on it).
 */
export async function writeObjects(
  tx: Prisma.TransactionClient,
  objects: PreparedObject[],
  calendar: CalendarTarget,
  owner: SlotOwner,
  crm: Map<string, string>,
  range: ChangedRange,
): Promise<{ slotsWritten: number; slotsRemoved: number }> {
  if (objects.length === 0) return { slotsWritten: 0, slotsRemoved: 0 }
  const existing = await tx.calendarObject.findMany({
    where: { calendarId: calendar.id, href: { in: objects.map((o) => o.href) } },
    select: { id: true, href: true },
  })
  const idByHref = new Map(existing.map((row) => [row.href, row.id]))
  const created: Prisma.CalendarObjectCreateManyInput[] = []
  const slots: Prisma.BlockedSlotCreateManyInput[] = []
  for (const object of objects) {
    let id = idByHref.get(object.href)
    const fields = { etag: object.etag, uid: object.uid, data: object.data, parseError: object.parseError }
    if (id) {
      await tx.calendarObject.update({ where: { id }, data: fields })
    } else {
      id = newId('o')
      idByHref.set(object.href, id)
      created.push({ id, calendarId: calendar.id, href: object.href, ...fields })
    }
    slots.push(...slotRows(id, object, calendar, owner, crm))
  }
  if (created.length > 0) await tx.calendarObject.createMany({ data: created })
  const { removed, written } = await replaceSlots(
    tx,
    existing.map((row) => row.id),
    slots,
    range,
  )
  for (const object of objects) {
    const appointmentId = crmAppointmentOf(object, crm)
    if (!appointmentId) continue
    await onCrmEventChanged(tx, {
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
        await onCrmEventDeleted(tx, { appointmentId, userId: owner.userId, calendarId: calendar.id, href: row.href })
      }
    }
    objectsDeleted += (await tx.calendarObject.deleteMany({ where: { id: { in: ids } } })).count
  }
  return { objectsDeleted, slotsRemoved }
}
