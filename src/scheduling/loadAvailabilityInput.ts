// Database -> the pure input of computeSlots. A fixed number of queries whatever the member count (a test counts
// them): the calendar with its members' rules, then busy time, appointments and integrations for all members at once.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'
import type { Interval } from './intervals.ts'
import { normalize } from './intervals.ts'
import type { CalendarSettings, ComputeSlotsInput, CrmCalendarType, MemberAvailabilityInput } from './slots.ts'
import { workingIntervals, type DateOverride, type MinuteSpan } from './workingHours.ts'
import { DAY_MS, MINUTE_MS } from './zoneOffsets.ts'
import { localDayKey } from './zonedTime.ts'

/** The client or an interactive transaction: booking re-loads the same input inside its transaction. */
export type Db = PrismaClient | Prisma.TransactionClient

export type StaleReason = 'NEEDS_REAUTH' | 'ERROR' | 'SYNC_OVERDUE'

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

export interface LoadedMember {
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
}

export interface LoadOptions {
  now: number
  /** Only a calendar of this subaccount is found (the caller's). */
  subaccountId?: string
  /** Leave this appointment out of busy time and seat counts (rescheduling it). */
  excludeAppointmentId?: string
  /** A CONNECTED integration not synced for this long is stale too. */
  staleAfterMs: number
}

// Appointments longer than this (slot durations are capped at a day) are not looked for further back.
const MAX_APPOINTMENT_MS = DAY_MS

/** Loads one calendar's availability input for slot starts in `range`; null when the calendar is not found. */
export async function loadAvailabilityInput(
  db: Db,
  calendarId: string,
  range: Interval,
  options: LoadOptions,
): Promise<AvailabilityInput | null> {
  const row = await db.crmCalendar.findFirst({
    where: { id: calendarId, ...(options.subaccountId ? { subaccountId: options.subaccountId } : {}) },
    include: {
      members: {
        orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
        include: { workingHours: true, dateOverrides: true },
      },
    },
  })
  if (row === null) return null

  const settings: CalendarSettings = {
    type: row.type,
    timeZone: row.timeZone,
    slotDurationMinutes: row.slotDurationMinutes,
    slotIntervalMinutes: row.slotIntervalMinutes,
    bufferBeforeMinutes: row.bufferBeforeMinutes,
    bufferAfterMinutes: row.bufferAfterMinutes,
    minNoticeMinutes: row.minNoticeMinutes,
    bookingWindowDays: row.bookingWindowDays,
    maxBookingsPerDayPerMember: row.maxBookingsPerDayPerMember,
    seatsPerSlot: row.seatsPerSlot,
  }
  const calendar: LoadedCalendar = {
    id: row.id,
    subaccountId: row.subaccountId,
    name: row.name,
    type: row.type,
    settings,
    members: row.members.map((m) => ({ memberId: m.id, userId: m.userId, priority: m.priority, timeZone: m.timeZone })),
  }
  // A class has one host: the first member. Others are co-hosts in name only and do not change availability.
  const members = row.type === 'CLASS_BOOKING' ? row.members.slice(0, 1) : row.members
  const userIds = members.map((m) => m.userId)
  if (userIds.length === 0) {
    return { calendar, compute: { settings, members: [], range, now: options.now }, staleMembers: [] }
  }

  const duration = settings.slotDurationMinutes * MINUTE_MS
  const busyFrom = range.start - settings.bufferBeforeMinutes * MINUTE_MS
  const busyTo = range.end + duration + settings.bufferAfterMinutes * MINUTE_MS
  // Booking caps count per local day, which can reach ~1 day either side of the range.
  const countFrom = Math.min(busyFrom, range.start - 2 * DAY_MS)
  const countTo = Math.max(busyTo, range.end + 2 * DAY_MS)
  const exclude = options.excludeAppointmentId

  const [blocked, participations, integrations, seats] = await Promise.all([
    // A person busy is busy: blocked slots of every subaccount count, whatever made them (iCloud or CRM).
    loadBusyBlockedSlots(db, userIds, busyFrom, busyTo),
    // Every active appointment of these users (any calendar): the per-user busy index.
    db.appointmentParticipant.findMany({
      where: {
        userId: { in: userIds },
        active: true,
        start: { gte: new Date(countFrom - MAX_APPOINTMENT_MS), lt: new Date(countTo) },
        ...(exclude ? { appointmentId: { not: exclude } } : {}),
      },
      select: { userId: true, start: true, end: true, appointment: { select: { calendarId: true } } },
      orderBy: { start: 'asc' },
    }),
    db.integration.findMany({
      where: { userId: { in: userIds }, status: { not: 'DISCONNECTED' } },
      select: { id: true, userId: true, status: true, lastSyncedAt: true, createdAt: true },
    }),
    row.type === 'CLASS_BOOKING'
      ? db.appointment.groupBy({
          by: ['start'],
          where: {
            calendarId: row.id,
            status: 'BOOKED',
            start: { gte: new Date(busyFrom - duration), lt: new Date(busyTo) },
            ...(exclude ? { id: { not: exclude } } : {}),
          },
          _count: { _all: true },
        })
      : Promise.resolve([]),
  ])

  const busyByUser = new Map<string, Interval[]>(userIds.map((id) => [id, blocked.get(id) ?? []]))

  const isClass = row.type === 'CLASS_BOOKING'
  const memberZone = new Map(members.map((m) => [m.userId, m.timeZone]))
  const countsByUser = new Map<string, Map<string, number>>(userIds.map((id) => [id, new Map()]))
  const classStartsCounted = new Set<string>()
  for (const p of participations) {
    const start = p.start.getTime()
    const end = p.end.getTime()
    const ownCalendar = p.appointment.calendarId === row.id
    // A class's own sessions are not busy time for its host: they are the slots people join (seat counts below).
    if (!(isClass && ownCalendar) && end > busyFrom && start < busyTo) busyByUser.get(p.userId)!.push({ start, end })
    if (ownCalendar && settings.maxBookingsPerDayPerMember !== null) {
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

  const workingRange = { start: range.start, end: range.end + duration + MINUTE_MS }
  const computeMembers: MemberAvailabilityInput[] = members.map((m) => ({
    memberId: m.userId,
    timeZone: m.timeZone,
    priority: m.priority,
    working: workingIntervals({
      rules: m.workingHours,
      overrides: groupOverrides(m.dateOverrides),
      timeZone: m.timeZone,
      range: workingRange,
    }),
    busy: normalize(busyByUser.get(m.userId)!),
    bookingsPerLocalDay: countsByUser.get(m.userId)!,
    recentBookings: 0,
  }))

  const classSeatsTaken = new Map<number, number>()
  for (const group of seats) classSeatsTaken.set(group.start.getTime(), group._count._all)

  return {
    calendar,
    compute: { settings, members: computeMembers, range, now: options.now, classSeatsTaken },
    staleMembers: staleMembersOf(integrations, options),
  }
}

/**
 * BUSY blocked slots overlapping [from, to) per user, merged and sorted. This is the big read (thousands of rows for
 * a month of several busy people), so it is one raw query that ships two number arrays per user instead of an
 * object per row.
 */
async function loadBusyBlockedSlots(db: Db, userIds: string[], from: number, to: number): Promise<Map<string, Interval[]>> {
  const rows = await db.$queryRaw<{ userId: string; starts: number[]; ends: number[] }[]>`
    SELECT "userId",
           array_agg((extract(epoch FROM "start") * 1000)::float8 ORDER BY "start") AS starts,
           array_agg((extract(epoch FROM "end") * 1000)::float8 ORDER BY "start") AS ends
    FROM "BlockedSlot"
    WHERE "userId" = ANY(${userIds}::text[])
      AND "availability" = 'BUSY'
      AND "start" < ${new Date(to)}
      AND "end" > ${new Date(from)}
    GROUP BY "userId"`
  const out = new Map<string, Interval[]>()
  for (const row of rows) {
    const list: Interval[] = new Array(row.starts.length)
    for (let i = 0; i < row.starts.length; i++) list[i] = { start: Number(row.starts[i]), end: Number(row.ends[i]) }
    out.set(row.userId, list)
  }
  return out
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

function staleMembersOf(
  integrations: { id: string; userId: string; status: string; lastSyncedAt: Date | null; createdAt: Date }[],
  options: LoadOptions,
): StaleMember[] {
  const out: StaleMember[] = []
  for (const i of integrations) {
    let reason: StaleReason | null = null
    if (i.status === 'NEEDS_REAUTH') reason = 'NEEDS_REAUTH'
    else if (i.status === 'ERROR') reason = 'ERROR'
    // Never synced counts from the connection time, so a fresh connection gets its first sync's grace period.
    else if (options.now - (i.lastSyncedAt ?? i.createdAt).getTime() > options.staleAfterMs) reason = 'SYNC_OVERDUE'
    if (reason !== null) out.push({ userId: i.userId, integrationId: i.id, reason, lastSyncedAt: i.lastSyncedAt })
  }
  return out.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
}

/** 3 sync intervals plus 5 minutes: a few missed ticks are normal, more means the data may be old. */
export function staleAfterMs(syncIntervalSeconds: number): number {
  return 3 * syncIntervalSeconds * 1000 + 5 * 60_000
}
