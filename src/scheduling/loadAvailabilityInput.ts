// Database -> the pure input of computeSlots, in one SQL statement whatever the member count (a test counts them):
// the calendar, its members with their rules and overrides, their busy blocked slots, appointments and integrations,
// all from the database function "availability_input" (prisma/migrations/*_availability_input).
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

/** What the database function "availability_input" returns (see its migration). Epoch times are float8 ms. */
interface InputRow {
  calendar: { id: string; subaccountId: string; name: string; settings: CalendarSettings } | null
  members: RowMember[]
  /** Each member's BusyTimeVersion (0 before their first blocked slot). */
  versions: { userId: string; version: number }[]
  /** The busy blocked slots in the read span of the members not served from the cache (members with none: absent). */
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

interface RowMember {
  id: string
  userId: string
  priority: number
  timeZone: string
  rules: WorkingHoursRule[]
  overrides: { date: string; startMinute: number | null; endMinute: number | null }[]
}

/** The busy time a load needs, what the cache already holds of it, and what to read for the others. */
interface BusyRead {
  /** Busy time every slot in the range can touch. */
  needed: Interval
  /** Entries holding all of `needed`, pinned before the query: an entry evicted meanwhile is still used. */
  cached: Map<string, CachedBusyTime>
  /** What is read (and cached) for the members read again. */
  span: Interval
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
  const busyRead = planBusyRead(options.busyCache, calendarId, range, options.now)
  const row = await readInputRow(db, calendarId, range, options, busyRead)
  if (row.calendar === null) return null
  const busyTimes = refreshBusyCache(options.busyCache, calendarId, row, busyRead)
  const calendar = loadedCalendar(row.calendar, row.members)
  const { settings } = calendar
  // A class has one host: the first member. Others are co-hosts in name only and do not change availability.
  const members = settings.type === 'CLASS_BOOKING' ? row.members.slice(0, 1) : row.members
  if (members.length === 0) {
    const compute = { settings, members: [], range, now: options.now }
    return { calendar, compute, staleMembers: [], freshAsOf: new Date(options.now) }
  }
  const busyByUser = new Map<string, Interval[]>(
    members.map((m) => [m.userId, busyTimes.get(m.userId)!.between(busyRead.needed.start, busyRead.needed.end)]),
  )
  const countsByUser = addParticipations(row.participations, members, settings, busyByUser)
  const classSeatsTaken = new Map<number, number>()
  for (const s of row.seats) classSeatsTaken.set(Math.round(s.start), Number(s.taken))
  const computeMembers = members.map((m) =>
    memberInput(m, range, settings, busyByUser.get(m.userId)!, countsByUser.get(m.userId)!),
  )
  return {
    calendar,
    compute: { settings, members: computeMembers, range, now: options.now, classSeatsTaken },
    staleMembers: staleMembersOf(row.integrations, options),
    freshAsOf: freshAsOf(row.integrations, options.now),
  }
}

function planBusyRead(cache: BusyTimeCache, calendarId: string, range: Interval, now: number): BusyRead {
  const needed = { start: range.start - BUSY_PAD_BEFORE_MS, end: range.end + BUSY_PAD_AFTER_MS }
  const cached = covering(cache.lookup(cache.knownMembers(calendarId)), needed)
  // Members read again get the cache's horizon, so the next requests (later days, a subscription push) hit.
  return { needed, cached, span: cache.readSpan(needed, now) }
}

async function readInputRow(
  db: Db,
  calendarId: string,
  range: Interval,
  options: LoadOptions,
  { cached, span }: BusyRead,
): Promise<InputRow> {
  const knownUsers = [...cached.keys()]
  const knownVersions = [...cached.values()].map((entry) => entry.version)
  const [{ input }] = await db.$queryRaw<[{ input: InputRow }]>`
    SELECT "availability_input"(
      ${calendarId}, ${options.subaccountId ?? null}::text, ${knownUsers}::text[], ${knownVersions}::bigint[],
      ${new Date(span.start)}, ${new Date(span.end)},
      ${new Date(range.start - COUNT_PAD_MS)}, ${new Date(range.end + COUNT_PAD_MS)},
      ${options.excludeAppointmentId ?? null}::text
    ) AS input`
  return input
}

function loadedCalendar(row: NonNullable<InputRow['calendar']>, members: RowMember[]): LoadedCalendar {
  return {
    id: row.id,
    subaccountId: row.subaccountId,
    name: row.name,
    type: row.settings.type,
    settings: row.settings,
    members: members.map((m) => ({ memberId: m.id, userId: m.userId, priority: m.priority, timeZone: m.timeZone })),
  }
}

/**
 * Appointments as busy time (a class's own sessions excepted: they are the slots people join) and, with a daily cap,
 * the bookings each member has per local day. Returns the counts by user.
 */
function addParticipations(
  participations: InputRow['participations'],
  members: RowMember[],
  settings: CalendarSettings,
  busyByUser: Map<string, Interval[]>,
): Map<string, Map<string, number>> {
  const isClass = settings.type === 'CLASS_BOOKING'
  const memberZone = new Map(members.map((m) => [m.userId, m.timeZone]))
  const countsByUser = new Map<string, Map<string, number>>(members.map((m) => [m.userId, new Map()]))
  const classStartsCounted = new Set<string>()
  for (const p of participations) {
    const busy = busyByUser.get(p.userId)
    if (busy === undefined) continue
    const start = Math.round(p.start)
    const end = Math.round(p.end)
    if (!(isClass && p.own)) busy.push({ start, end })
    if (!p.own || settings.maxBookingsPerDayPerMember === null) continue
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
  return countsByUser
}

function memberInput(
  member: RowMember,
  range: Interval,
  settings: CalendarSettings,
  busy: Interval[],
  bookingsPerLocalDay: Map<string, number>,
): MemberAvailabilityInput {
  const workingRange = { start: range.start, end: range.end + settings.slotDurationMinutes * MINUTE_MS + MINUTE_MS }
  return {
    memberId: member.userId,
    timeZone: member.timeZone,
    priority: member.priority,
    working: workingIntervals({
      rules: member.rules,
      overrides: groupOverrides(member.overrides),
      timeZone: member.timeZone,
      range: workingRange,
    }),
    busy: normalize(busy),
    bookingsPerLocalDay,
    recentBookings: 0,
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
  { cached, span }: BusyRead,
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
