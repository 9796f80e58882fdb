// Database -> the pure input of computeSlots, in one SQL statement whatever the member count (a test counts them):
// the calendar, its members with their rules and overrides, their busy blocked slots, appointments and integrations.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'
import type { BusyTimeCache, CachedBusyTime } from './busyTimeCache.ts'
import type { Interval } from './intervals.ts'
import { normalize } from './intervals.ts'
import type { CalendarSettings, ComputeSlotsInput, CrmCalendarType, MemberAvailabilityInput } from './slots.ts'
import { workingIntervals, type DateOverride, type MinuteSpan, type WorkingHoursRule } from './workingHours.ts'
import { DAY_MS, MINUTE_MS } from '../time/zoneOffsets.ts'
import { localDayKey } from './zonedTime.ts'

/** The client or an interactive transaction: booking re-loads the same input inside its transaction. */
export type Db = PrismaClient | Prisma.TransactionClient

type StaleReason = 'NEEDS_REAUTH' | 'ERROR' | 'SYNC_OVERDUE'

/**
 * A member whose iCloud busy time may be out of date. Safe policy (agreed with the sync engine): their last known
 * blocked slots keep blocking, nothing is freed up, and the availability says it is stale.
 */
export interface StaleMember {
  userId: string
  integrationId: string
  reason: StaleReason
  lastSyncedAt: Date | null
}

interface LoadedMember {
  memberId: string
  userId: string
  priority: number
  timeZone: string
}

export interface LoadedCalendar {
  id: string
  subaccountId: string
  name: string
  type: CrmCalendarType
  settings: CalendarSettings
  /** Priority descending, then oldest first: the first one hosts a CLASS_BOOKING calendar. */
  members: LoadedMember[]
}

export interface AvailabilityInput {
  calendar: LoadedCalendar
  compute: ComputeSlotsInput
  staleMembers: StaleMember[]
  /** See freshAsOf(). */
  freshAsOf: Date | null
}

export interface LoadOptions {
  now: number
  /** Only a calendar of this subaccount is found (the caller's). */
  subaccountId?: string
  /** Leave this appointment out of busy time and seat counts (rescheduling it). */
  excludeAppointmentId?: string
  /** A CONNECTED integration not synced for this long is stale too. */
  staleAfterMs: number
  /** Members' busy time from earlier loads: only members whose blocked slots changed since are read again. */
  busyCache: BusyTimeCache
}

// Settings are capped at a day (duration, buffers), so these pads cover every busy interval and booking-cap day a
// slot in the range can touch; the exact cut happens in the pure functions.
const BUSY_PAD_BEFORE_MS = DAY_MS
const BUSY_PAD_AFTER_MS = 2 * DAY_MS
const COUNT_PAD_MS = 3 * DAY_MS

interface InputRow {
  calendar: {
    id: string
    subaccountId: string
    name: string
    type: CrmCalendarType
    timeZone: string
    slotDurationMinutes: number
    slotIntervalMinutes: number
    bufferBeforeMinutes: number
    bufferAfterMinutes: number
    minNoticeMinutes: number
    bookingWindowDays: number
    maxBookingsPerDayPerMember: number | null
    seatsPerSlot: number | null
  } | null
  members: {
    id: string
    userId: string
    priority: number
    timeZone: string
    rules: WorkingHoursRule[]
    overrides: { date: string; startMinute: number | null; endMinute: number | null }[]
  }[]
  /** Each member's BusyTimeVersion (0 before their first blocked slot). */
  versions: { userId: string; version: number }[]
  /** The busy blocked slots in the cache's read span of the members not served from the cache (they are cached). */
  blocked: { userId: string; starts: number[]; ends: number[] }[]
  participations: { userId: string; start: number; end: number; own: boolean }[]
  integrations: {
    id: string
    userId: string
    status: string
    lastSyncedAt: number | null
    createdAt: number
    calendars: number
    neverChecked: boolean | null
    oldestCheckedAt: number | null
  }[]
  seats: { start: number; taken: number }[]
}

/**
 * Loads one calendar's availability input for slot starts in `range`; null when the calendar is not found.
 *
 * One SQL statement, whatever the member count: on PGlite every statement costs a trip through the WASM engine and on
 * PostgreSQL a network round trip, and this runs on every availability request and every subscription push. Blocked
 * slots come from `options.busyCache` when a member's version is unchanged (see busyTimeCache.ts); the statement
 * returns the rows of the others only.
 */
export async function loadAvailabilityInput(
  db: Db,
  calendarId: string,
  range: Interval,
  options: LoadOptions,
): Promise<AvailabilityInput | null> {
  const countFrom = new Date(range.start - COUNT_PAD_MS)
  const countTo = new Date(range.end + COUNT_PAD_MS)
  const subaccountId = options.subaccountId ?? null
  const exclude = options.excludeAppointmentId ?? null
  // Pinned before the query: the statement skips exactly these (user, version) pairs, and an entry evicted meanwhile
  // by a concurrent request is still used through this reference.
  const needed = { start: range.start - BUSY_PAD_BEFORE_MS, end: range.end + BUSY_PAD_AFTER_MS }
  const cached = covering(options.busyCache.lookup(options.busyCache.knownMembers(calendarId)), needed)
  // Members read again get the cache's horizon, so the next requests (later days, a subscription push) hit.
  const span = options.busyCache.readSpan(needed, options.now)
  const spanFrom = new Date(span.start)
  const spanTo = new Date(span.end)
  const knownUsers = [...cached.keys()]
  const knownVersions = [...cached.values()].map((entry) => entry.version)
  // date_part gives float8 (extract gives numeric: several times slower per row on thousands of blocked slots).
  const [row] = await db.$queryRaw<InputRow[]>`
    WITH cal AS (
      SELECT "id", "subaccountId", "name", "type", "timeZone", "slotDurationMinutes", "slotIntervalMinutes",
             "bufferBeforeMinutes", "bufferAfterMinutes", "minNoticeMinutes", "bookingWindowDays",
             "maxBookingsPerDayPerMember", "seatsPerSlot"
      FROM "CrmCalendar"
      WHERE "id" = ${calendarId} AND (${subaccountId}::text IS NULL OR "subaccountId" = ${subaccountId}::text)
    ),
    mem AS (
      SELECT m."id", m."userId", m."priority", m."timeZone", m."createdAt"
      FROM "CrmCalendarMember" m JOIN cal ON m."calendarId" = cal."id"
    ),
    ver AS (
      SELECT u."userId", coalesce(v."version", 0) AS "version"
      FROM (SELECT DISTINCT "userId" FROM mem) u LEFT JOIN "BusyTimeVersion" v ON v."userId" = u."userId"
    ),
    reread AS (
      SELECT ver."userId" FROM ver
      WHERE NOT EXISTS (
        SELECT 1 FROM unnest(${knownUsers}::text[], ${knownVersions}::bigint[]) AS k("userId", "version")
        WHERE k."userId" = ver."userId" AND k."version" = ver."version")
    )
    SELECT
      (SELECT row_to_json(cal) FROM cal) AS calendar,
      (SELECT coalesce(json_agg(json_build_object(
          'id', m."id", 'userId', m."userId", 'priority', m."priority", 'timeZone', m."timeZone",
          'rules', (SELECT coalesce(json_agg(json_build_object(
                      'weekday', w."weekday", 'startMinute', w."startMinute", 'endMinute', w."endMinute")), '[]')
                    FROM "WorkingHoursRule" w WHERE w."memberId" = m."id"),
          'overrides', (SELECT coalesce(json_agg(json_build_object(
                          'date', d."date", 'startMinute', d."startMinute", 'endMinute', d."endMinute")), '[]')
                        FROM "DateOverride" d WHERE d."memberId" = m."id")
        ) ORDER BY m."priority" DESC, m."createdAt", m."id"), '[]') FROM mem m) AS members,
      (SELECT coalesce(json_agg(json_build_object('userId', "userId", 'version', "version")), '[]') FROM ver)
        AS versions,
      (SELECT coalesce(json_agg(json_build_object('userId', b."userId", 'starts', b.starts, 'ends', b.ends)), '[]')
       FROM (SELECT "userId",
                    array_agg(date_part('epoch', "start") * 1000) AS starts,
                    array_agg(date_part('epoch', "end") * 1000) AS ends
             FROM "BlockedSlot"
             WHERE "userId" IN (SELECT "userId" FROM reread) AND "availability" = 'BUSY'
               AND "start" < ${spanTo} AND "end" > ${spanFrom}
             GROUP BY "userId") b) AS blocked,
      (SELECT coalesce(json_agg(json_build_object(
          'userId', p."userId", 'start', date_part('epoch', p."start") * 1000, 'end', date_part('epoch', p."end") * 1000,
          'own', a."calendarId" = ${calendarId})), '[]')
       FROM "AppointmentParticipant" p JOIN "Appointment" a ON a."id" = p."appointmentId"
       WHERE p."userId" IN (SELECT "userId" FROM mem) AND p."active"
         AND p."start" >= ${countFrom} AND p."start" < ${countTo}
         AND (${exclude}::text IS NULL OR p."appointmentId" <> ${exclude}::text)) AS participations,
      (SELECT coalesce(json_agg(json_build_object(
          'id', i."id", 'userId', i."userId", 'status', i."status",
          'lastSyncedAt', date_part('epoch', i."lastSyncedAt") * 1000,
          'createdAt', date_part('epoch', i."createdAt") * 1000,
          'calendars', b.calendars, 'neverChecked', b.never_checked,
          'oldestCheckedAt', date_part('epoch', b.oldest) * 1000)), '[]')
       FROM "Integration" i
       -- The blocking calendars (conflict, and the linked one when it also blocks): the freshness bound. Discovery
       -- stamps lastCheckedAt too, so a calendar the engine never synced (lastSyncedAt null) has no bound yet.
       CROSS JOIN LATERAL (
         SELECT count(*) AS calendars, bool_or(c."lastSyncedAt" IS NULL OR c."lastCheckedAt" IS NULL) AS never_checked, min(c."lastCheckedAt") AS oldest
         FROM "Calendar" c
         WHERE c."integrationId" = i."id"
           AND (EXISTS (SELECT 1 FROM "ConflictCalendar" cc WHERE cc."calendarId" = c."id")
             OR EXISTS (SELECT 1 FROM "LinkedCalendar" l WHERE l."calendarId" = c."id" AND l."alsoConflict"))) b
       WHERE i."userId" IN (SELECT "userId" FROM mem) AND i."status" <> 'DISCONNECTED') AS integrations,
      (SELECT coalesce(json_agg(json_build_object('start', s.start, 'taken', s.taken)), '[]')
       FROM (SELECT date_part('epoch', "start") * 1000 AS start, count(*) AS taken
             FROM "Appointment"
             WHERE "calendarId" = ${calendarId} AND "status" = 'BOOKED'
               AND "start" >= ${countFrom} AND "start" < ${countTo}
               AND (${exclude}::text IS NULL OR "id" <> ${exclude}::text)
             GROUP BY "start") s) AS seats`
  if (row === undefined || row.calendar === null) return null
  const c = row.calendar
  const busyTimes = refreshBusyCache(options.busyCache, calendarId, row, cached, span)

  const settings: CalendarSettings = {
    type: c.type,
    timeZone: c.timeZone,
    slotDurationMinutes: c.slotDurationMinutes,
    slotIntervalMinutes: c.slotIntervalMinutes,
    bufferBeforeMinutes: c.bufferBeforeMinutes,
    bufferAfterMinutes: c.bufferAfterMinutes,
    minNoticeMinutes: c.minNoticeMinutes,
    bookingWindowDays: c.bookingWindowDays,
    maxBookingsPerDayPerMember: c.maxBookingsPerDayPerMember,
    seatsPerSlot: c.seatsPerSlot,
  }
  const calendar: LoadedCalendar = {
    id: c.id,
    subaccountId: c.subaccountId,
    name: c.name,
    type: c.type,
    settings,
    members: row.members.map((m) => ({ memberId: m.id, userId: m.userId, priority: m.priority, timeZone: m.timeZone })),
  }
  // A class has one host: the first member. Others are co-hosts in name only and do not change availability.
  const isClass = c.type === 'CLASS_BOOKING'
  const members = isClass ? row.members.slice(0, 1) : row.members
  const userIds = members.map((m) => m.userId)
  if (userIds.length === 0) {
    const compute = { settings, members: [], range, now: options.now }
    return { calendar, compute, staleMembers: [], freshAsOf: new Date(options.now) }
  }

  const busyByUser = new Map<string, Interval[]>(
    userIds.map((id) => [id, busyTimes.get(id)!.between(needed.start, needed.end)]),
  )

  const memberZone = new Map(members.map((m) => [m.userId, m.timeZone]))
  const countsByUser = new Map<string, Map<string, number>>(userIds.map((id) => [id, new Map()]))
  const classStartsCounted = new Set<string>()
  for (const p of row.participations) {
    const busy = busyByUser.get(p.userId)
    if (busy === undefined) continue
    const start = Math.round(p.start)
    const end = Math.round(p.end)
    // A class's own sessions are not busy time for its host: they are the slots people join (seat counts below).
    if (!(isClass && p.own)) busy.push({ start, end })
    if (p.own && settings.maxBookingsPerDayPerMember !== null) {
      // A class session counts once however many people booked a seat in it.
      if (isClass) {
        const key = `${p.userId}|${start}`
        if (classStartsCounted.has(key)) continue
        classStartsCounted.add(key)
      }
      const day = localDayKey(start, memberZone.get(p.userId)!)
      const counts = countsByUser.get(p.userId)!
      counts.set(day, (counts.get(day) ?? 0) + 1)
    }
  }

  const workingRange = { start: range.start, end: range.end + settings.slotDurationMinutes * MINUTE_MS + MINUTE_MS }
  const computeMembers: MemberAvailabilityInput[] = members.map((m) => ({
    memberId: m.userId,
    timeZone: m.timeZone,
    priority: m.priority,
    working: workingIntervals({
      rules: m.rules,
      overrides: groupOverrides(m.overrides),
      timeZone: m.timeZone,
      range: workingRange,
    }),
    busy: normalize(busyByUser.get(m.userId)!),
    bookingsPerLocalDay: countsByUser.get(m.userId)!,
    recentBookings: 0,
  }))

  const classSeatsTaken = new Map<number, number>()
  for (const s of row.seats) classSeatsTaken.set(Math.round(s.start), Number(s.taken))

  return {
    calendar,
    compute: { settings, members: computeMembers, range, now: options.now, classSeatsTaken },
    staleMembers: staleMembersOf(row.integrations, options),
    freshAsOf: freshAsOf(row.integrations, options.now),
  }
}

/**
 * The bound on how old the members' iCloud busy time may be: the oldest last check among their blocking calendars.
 * Members without an integration (or without blocking calendars) have nothing from iCloud that could be old: with
 * none at all the data is current, so it is `now`. Null when some blocking calendar has never been checked (no bound).
 */
function freshAsOf(integrations: InputRow['integrations'], now: number): Date | null {
  let oldest = now
  for (const i of integrations) {
    if (Number(i.calendars) === 0) continue
    if (i.neverChecked || i.oldestCheckedAt === null) return null
    oldest = Math.min(oldest, i.oldestCheckedAt)
  }
  return new Date(Math.round(oldest))
}

/** Each member's busy time: the pinned cache entry when its version still holds, else the rows just read. */
function refreshBusyCache(
  cache: BusyTimeCache,
  calendarId: string,
  row: InputRow,
  cached: Map<string, CachedBusyTime>,
  span: Interval,
): Map<string, CachedBusyTime> {
  const reread = new Map(row.blocked.map((b) => [b.userId, b]))
  const out = new Map<string, CachedBusyTime>()
  for (const { userId, version: raw } of row.versions) {
    const version = Number(raw)
    const pinned = cached.get(userId)
    // The statement skipped exactly the pinned (user, version) pairs that still hold.
    if (pinned !== undefined && pinned.version === version) {
      out.set(userId, pinned)
      continue
    }
    const b = reread.get(userId) ?? { starts: [], ends: [] } // no busy slot at all
    // float8 epoch seconds × 1000 can land a hair off the millisecond.
    const busy = b.starts.map((start, i) => ({ start: Math.round(start), end: Math.round(b.ends[i]!) }))
    out.set(userId, cache.store(userId, version, busy, span))
  }
  cache.rememberMembers(calendarId, [...out.keys()])
  return out
}

/** The entries that hold all the busy time `needed`; the other members are read again. */
function covering(entries: Map<string, CachedBusyTime>, needed: Interval): Map<string, CachedBusyTime> {
  for (const [userId, entry] of entries) if (!entry.covers(needed.start, needed.end)) entries.delete(userId)
  return entries
}

function groupOverrides(
  rows: { date: string; startMinute: number | null; endMinute: number | null }[],
): DateOverride[] {
  const byDate = new Map<string, MinuteSpan[]>()
  for (const r of rows) {
    const spans = byDate.get(r.date) ?? []
    // A row without minutes closes the day; spans on other rows of the same date still open it.
    if (r.startMinute !== null && r.endMinute !== null)
      spans.push({ startMinute: r.startMinute, endMinute: r.endMinute })
    byDate.set(r.date, spans)
  }
  return [...byDate].map(([date, intervals]) => ({ date, intervals }))
}

function staleMembersOf(integrations: InputRow['integrations'], options: LoadOptions): StaleMember[] {
  const out: StaleMember[] = []
  for (const i of integrations) {
    let reason: StaleReason | null = null
    if (i.status === 'NEEDS_REAUTH') reason = 'NEEDS_REAUTH'
    else if (i.status === 'ERROR') reason = 'ERROR'
    // Never synced counts from the connection time, so a fresh connection gets its first sync's grace period.
    else if (options.now - (i.lastSyncedAt ?? i.createdAt) > options.staleAfterMs) reason = 'SYNC_OVERDUE'
    if (reason !== null) {
      const lastSyncedAt = i.lastSyncedAt === null ? null : new Date(Math.round(i.lastSyncedAt))
      out.push({ userId: i.userId, integrationId: i.id, reason, lastSyncedAt })
    }
  }
  return out.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
}

/** 3 sync intervals plus 5 minutes: a few missed ticks are normal, more means the data may be old. */
export function staleAfterMs(syncIntervalSeconds: number): number {
  return 3 * syncIntervalSeconds * 1000 + 5 * 60_000
}
