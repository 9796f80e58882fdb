// Booking, rescheduling and cancelling CRM appointments without double bookings.
//
// Every write runs in an interactive transaction that first takes a transaction-scoped advisory lock per user who
// could be involved (sorted, so two bookings never wait on each other in opposite orders), then re-loads busy time
// with the same loader as the availability query and re-checks the slot with the same pure function. Two requests for
// the last slot or seat therefore run one after the other and the second one sees the first one's appointment.
// PGlite serializes transactions anyway; PostgreSQL needs the locks.
import { randomUUID } from 'node:crypto'
import type { Services } from '../app/services.ts'
import type { Appointment, Prisma } from '../generated/prisma/client.ts'
import { NotFoundError } from '../errors.ts'
import { publishAppointmentChanged } from '../realtime/appointmentChanges.ts'
import { notifyBusyTimeChanged } from '../realtime/notify.ts'
import { recordAppointmentEvent } from '../webhooks/hooks.ts'
import { kickWebhooks } from '../webhooks/worker.ts'
import { recheckICloudBeforeBooking, type ICloudRecheck } from '../writeBack/bookingRecheck.ts'
import { kickWriteBack } from '../writeBack/scheduler.ts'
import {
  AppointmentCancelledError,
  CalendarNotBookableError,
  IdempotencyKeyReusedError,
  OutsideBookingWindowError,
  SlotUnavailableError,
} from './errors.ts'
import {
  loadAvailabilityInput,
  staleAfterMs,
  type AvailabilityInput,
  type LoadedCalendar,
} from './loadAvailabilityInput.ts'
import { pickRoundRobinMember } from './roundRobin.ts'
import { computeSlots, type Slot } from './slots.ts'
import { DAY_MS, MINUTE_MS } from '../time/zoneOffsets.ts'

const ICAL_UID_DOMAIN = 'icloud-scheduling-api'
/** Round robin balances over bookings made in this many days. */
const ROUND_ROBIN_LOOKBACK_DAYS = 30

type Tx = Prisma.TransactionClient
// The whole Services: the iCloud re-check runs a sync and the outbox is kicked after commit.
type BookingServices = Services

interface BookingContactInput {
  name: string
  email: string
  phone?: string | null
}

export interface BookAppointmentInput {
  subaccountId: string
  calendarId: string
  start: Date
  contact: BookingContactInput
  /** Unique per calendar: a repeated request returns the appointment the first one made. */
  idempotencyKey?: string | null
  title?: string | null
  notes?: string | null
}

export interface BookingOptions {
  now?: number
  /** Skip the iCloud re-check before the transaction (benchmark baseline). */
  skipICloudRecheck?: boolean
}

export interface BookingResult {
  appointment: Appointment
  /** False when an earlier request with the same idempotency key made it. */
  created: boolean
  /** How fresh the iCloud busy time was that the slot was checked against (writeBack/bookingRecheck.ts). */
  iCloudRecheck: ICloudRecheck
}

const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const

export async function bookAppointment(
  services: BookingServices,
  input: BookAppointmentInput,
  options: BookingOptions = {},
): Promise<BookingResult> {
  const now = options.now ?? Date.now()
  const key = input.idempotencyKey ?? null
  // The subaccount first: a key must never find (or reveal) another subaccount's appointment.
  const calendar = await services.prisma.crmCalendar.findFirst({
    where: { id: input.calendarId, subaccountId: input.subaccountId },
    include: { members: { select: { userId: true } } },
  })
  if (!calendar) throw new NotFoundError('A CRM calendar with this id')
  const existing = await findByIdempotencyKey(services.prisma, input)
  if (existing) return { appointment: existing, created: false, iCloudRecheck: 'SKIPPED' }
  if (calendar.members.length === 0) throw new CalendarNotBookableError('This calendar has no members yet.')
  const start = input.start.getTime()
  assertInsideBookingWindow(calendar, start, now)
  const lockUserIds = calendar.members.map((m) => m.userId)
  // Before the transaction, never inside it: one incremental sync of the candidates' conflict calendars, bounded by
  // BOOKING_RECHECK_TIMEOUT_MS. The transaction below then re-checks the slot against what it brought in.
  const iCloudRecheck: ICloudRecheck = options.skipICloudRecheck
    ? 'SKIPPED'
    : await recheckICloudBeforeBooking(services, { subaccountId: input.subaccountId, userIds: lockUserIds })

  let result: BookingResult
  try {
    result = await services.prisma.$transaction(async (tx) => {
      await lockUsers(tx, lockUserIds)
      // A concurrent request with the same key may have committed while we waited for the lock.
      const again = await findByIdempotencyKey(tx, input)
      if (again) return { appointment: again, created: false, iCloudRecheck }

      const checked = await checkSlot(services, tx, input.calendarId, start, now)
      const { loaded, slot } = checked
      const participants = await chooseParticipants(tx, loaded, slot, null, now)
      const end = slot.end

      const email = input.contact.email.trim().toLowerCase()
      const contact = await tx.contact.upsert({
        where: { subaccountId_email: { subaccountId: input.subaccountId, email } },
        create: {
          subaccountId: input.subaccountId,
          name: input.contact.name.trim(),
          email,
          phone: input.contact.phone ?? null,
        },
        update: {},
      })
      const linked = await linkedCalendars(tx, input.subaccountId, participants.userIds)
      const appointment = await tx.appointment.create({
        data: {
          subaccountId: input.subaccountId,
          calendarId: input.calendarId,
          assignedUserId: participants.assignedUserId,
          contactId: contact.id,
          start: new Date(start),
          end: new Date(end),
          title: input.title?.trim() || `${loaded.calendar.name} with ${contact.name}`,
          notes: input.notes ?? null,
          icalUid: `${randomUUID()}@${ICAL_UID_DOMAIN}`,
          idempotencyKey: key,
          participants: {
            create: participants.userIds.map((userId) => ({
              userId,
              start: new Date(start),
              end: new Date(end),
              remoteCalendarId: linked.get(userId) ?? null,
              // The write-back outbox picks up PENDING rows; users without a linked calendar have nothing to write.
              writeBackState: linked.has(userId) ? ('PENDING' as const) : null,
            })),
          },
          history: {
            create: {
              source: 'CRM',
              change: { action: 'BOOKED', start: new Date(start).toISOString(), userIds: participants.userIds },
            },
          },
        },
      })
      await recordAppointmentEvent(tx, 'appointment.booked', appointment)
      return { appointment, created: true, iCloudRecheck }
    }, TRANSACTION_OPTIONS)
  } catch (error) {
    // Two first requests with one key on PostgreSQL: the loser of the unique index returns the winner's appointment.
    if (key !== null && isUniqueViolation(error)) {
      const winner = await findByIdempotencyKey(services.prisma, input)
      if (winner) return { appointment: winner, created: false, iCloudRecheck }
    }
    throw error
  }

  if (result.created) {
    const a = result.appointment
    const userIds = await participantUserIds(services, a.id)
    await notifyBusyTimeChanged(services, userIds, { from: a.start, to: a.end }, 'appointment booked')
    publishAppointmentChanged(services, { appointmentId: a.id, calendarId: a.calendarId, userIds, kind: 'BOOKED' })
    kickWriteBack(services)
    kickWebhooks(services)
  }
  return result
}

export interface RescheduleAppointmentInput {
  subaccountId: string
  appointmentId: string
  start: Date
}

export async function rescheduleAppointment(
  services: BookingServices,
  input: RescheduleAppointmentInput,
  options: BookingOptions = {},
): Promise<{ appointment: Appointment; iCloudRecheck: ICloudRecheck }> {
  const now = options.now ?? Date.now()
  const current = await services.prisma.appointment.findFirst({
    where: { id: input.appointmentId, subaccountId: input.subaccountId },
    include: { calendar: { include: { members: { select: { userId: true } } } }, participants: true },
  })
  if (!current) throw new NotFoundError('An appointment with this id')
  if (current.status === 'CANCELLED') throw new AppointmentCancelledError()
  const start = input.start.getTime()
  if (start === current.start.getTime()) return { appointment: current, iCloudRecheck: 'SKIPPED' }
  assertInsideBookingWindow(current.calendar, start, now)
  const oldUserIds = current.participants.filter((p) => p.active).map((p) => p.userId)
  const lockUserIds = [...current.calendar.members.map((m) => m.userId), ...oldUserIds]
  const iCloudRecheck: ICloudRecheck = options.skipICloudRecheck
    ? 'SKIPPED'
    : await recheckICloudBeforeBooking(services, { subaccountId: input.subaccountId, userIds: lockUserIds })

  const updated = await services.prisma.$transaction(async (tx) => {
    await lockUsers(tx, lockUserIds)
    const fresh = await tx.appointment.findUniqueOrThrow({ where: { id: current.id }, include: { participants: true } })
    if (fresh.status === 'CANCELLED') throw new AppointmentCancelledError()
    const { loaded, slot } = await checkSlot(services, tx, current.calendarId, start, now, current.id)
    const participants = await chooseParticipants(tx, loaded, slot, fresh.assignedUserId, now)
    const end = slot.end

    const linked = await linkedCalendars(tx, current.subaccountId, participants.userIds)
    const keep = new Set(participants.userIds)
    for (const p of fresh.participants) {
      if (keep.has(p.userId)) continue
      if (!p.active) continue
      // Removed from the appointment: the outbox deletes it from their calendar if it was ever written there.
      await tx.appointmentParticipant.update({
        where: { id: p.id },
        data: {
          active: false,
          // A copy deleted in iCloud has nothing left to remove.
          writeBackState:
            p.writeBackState === null || p.writeBackState === 'REMOVED_IN_ICLOUD' ? p.writeBackState : 'PENDING',
          nextAttemptAt: null,
        },
      })
    }
    for (const userId of participants.userIds) {
      const previous = fresh.participants.find((p) => p.userId === userId)
      const pending = linked.has(userId) || (previous !== undefined && previous.writeBackState !== null)
      // Deleted in iCloud by the user: never re-created behind their back, whatever changes in the CRM.
      const state = previous?.writeBackState === 'REMOVED_IN_ICLOUD' ? 'REMOVED_IN_ICLOUD' : pending ? 'PENDING' : null
      await tx.appointmentParticipant.upsert({
        where: { appointmentId_userId: { appointmentId: current.id, userId } },
        create: {
          appointmentId: current.id,
          userId,
          start: new Date(start),
          end: new Date(end),
          remoteCalendarId: linked.get(userId) ?? null,
          writeBackState: state,
        },
        update: {
          start: new Date(start),
          end: new Date(end),
          active: true,
          writeBackState: state,
          nextAttemptAt: null,
          ...(previous?.remoteCalendarId ? {} : { remoteCalendarId: linked.get(userId) ?? null }),
        },
      })
    }
    const rescheduled = await tx.appointment.update({
      where: { id: current.id },
      data: {
        start: new Date(start),
        end: new Date(end),
        assignedUserId: participants.assignedUserId,
        sequence: { increment: 1 },
        history: {
          create: {
            source: 'CRM',
            change: {
              action: 'RESCHEDULED',
              from: { start: fresh.start.toISOString(), end: fresh.end.toISOString() },
              to: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
              userIds: participants.userIds,
            },
          },
        },
      },
    })
    await recordAppointmentEvent(tx, 'appointment.rescheduled', rescheduled, { before: fresh, after: rescheduled })
    return rescheduled
  }, TRANSACTION_OPTIONS)

  const userIds = [...new Set([...oldUserIds, ...(await participantUserIds(services, updated.id))])]
  await notifyBusyTimeChanged(
    services,
    userIds,
    { from: min(current.start, updated.start), to: max(current.end, updated.end) },
    'appointment rescheduled',
  )
  publishAppointmentChanged(services, {
    appointmentId: updated.id,
    calendarId: updated.calendarId,
    userIds,
    kind: 'RESCHEDULED',
  })
  kickWriteBack(services)
  kickWebhooks(services)
  return { appointment: updated, iCloudRecheck }
}

export interface CancelAppointmentInput {
  subaccountId: string
  appointmentId: string
  reason?: string | null
}

/** Cancels an appointment; cancelling a cancelled appointment returns it unchanged. */
export async function cancelAppointment(
  services: BookingServices,
  input: CancelAppointmentInput,
): Promise<Appointment> {
  const current = await services.prisma.appointment.findFirst({
    where: { id: input.appointmentId, subaccountId: input.subaccountId },
    include: { participants: true },
  })
  if (!current) throw new NotFoundError('An appointment with this id')
  if (current.status === 'CANCELLED') return current
  const userIds = current.participants.filter((p) => p.active).map((p) => p.userId)

  const updated = await services.prisma.$transaction(async (tx) => {
    await lockUsers(tx, userIds)
    const fresh = await tx.appointment.findUniqueOrThrow({ where: { id: current.id } })
    if (fresh.status === 'CANCELLED') return fresh
    // Participants whose calendar got (or was to get) the event: the outbox updates or removes it there.
    await tx.appointmentParticipant.updateMany({
      where: { appointmentId: current.id, writeBackState: { in: ['PENDING', 'SYNCED', 'FAILED'] } },
      data: { active: false, writeBackState: 'PENDING', nextAttemptAt: null },
    })
    await tx.appointmentParticipant.updateMany({ where: { appointmentId: current.id }, data: { active: false } })
    const cancelled = await tx.appointment.update({
      where: { id: current.id },
      data: {
        status: 'CANCELLED',
        sequence: { increment: 1 },
        history: { create: { source: 'CRM', change: { action: 'CANCELLED', reason: input.reason ?? null } } },
      },
    })
    await recordAppointmentEvent(tx, 'appointment.cancelled', cancelled, { reason: input.reason ?? null })
    return cancelled
  }, TRANSACTION_OPTIONS)

  await notifyBusyTimeChanged(services, userIds, { from: current.start, to: current.end }, 'appointment cancelled')
  publishAppointmentChanged(services, {
    appointmentId: updated.id,
    calendarId: updated.calendarId,
    userIds,
    kind: 'CANCELLED',
  })
  kickWriteBack(services)
  kickWebhooks(services)
  return updated
}

// --- internals ---

function assertInsideBookingWindow(
  calendar: { minNoticeMinutes: number; bookingWindowDays: number },
  start: number,
  now: number,
): void {
  if (!Number.isFinite(start)) throw new SlotUnavailableError('Invalid start time.')
  if (start < now + calendar.minNoticeMinutes * MINUTE_MS) {
    throw new OutsideBookingWindowError(
      calendar.minNoticeMinutes > 0
        ? `Appointments must be booked at least ${calendar.minNoticeMinutes} minutes in advance.`
        : 'This time is in the past.',
    )
  }
  if (start >= now + calendar.bookingWindowDays * DAY_MS) {
    throw new OutsideBookingWindowError(`Appointments can be booked at most ${calendar.bookingWindowDays} days ahead.`)
  }
}

async function checkSlot(
  services: Pick<Services, 'config' | 'busyTimeCache'>,
  tx: Tx,
  calendarId: string,
  start: number,
  now: number,
  excludeAppointmentId?: string,
): Promise<{ loaded: AvailabilityInput; slot: Slot }> {
  const loaded = await loadAvailabilityInput(
    tx,
    calendarId,
    { start, end: start + 1 },
    {
      now,
      excludeAppointmentId,
      staleAfterMs: staleAfterMs(services.config.sync.intervalSeconds),
      // Safe inside the transaction: the versions are read in its snapshot, so a cached member is as of that too.
      busyCache: services.busyTimeCache,
    },
  )
  if (!loaded) throw new NotFoundError('A CRM calendar with this id')
  const slot = computeSlots(loaded.compute).find((s) => s.start === start)
  if (!slot) throw new SlotUnavailableError()
  return { loaded, slot }
}

async function chooseParticipants(
  tx: Tx,
  loaded: AvailabilityInput,
  slot: Slot,
  currentAssignee: string | null,
  now: number,
): Promise<{ assignedUserId: string; userIds: string[] }> {
  const calendar: LoadedCalendar = loaded.calendar
  if (calendar.type === 'COLLECTIVE') {
    const userIds = calendar.members.map((m) => m.userId)
    return { assignedUserId: userIds[0]!, userIds }
  }
  if (calendar.type === 'CLASS_BOOKING' || slot.freeMemberIds.length === 1) {
    const userId = slot.freeMemberIds[0]!
    return { assignedUserId: userId, userIds: [userId] }
  }
  // Rescheduling keeps the same person when they are free at the new time.
  if (currentAssignee !== null && slot.freeMemberIds.includes(currentAssignee)) {
    return { assignedUserId: currentAssignee, userIds: [currentAssignee] }
  }
  const recent = await tx.appointment.groupBy({
    by: ['assignedUserId'],
    where: {
      calendarId: calendar.id,
      status: 'BOOKED',
      createdAt: { gte: new Date(now - ROUND_ROBIN_LOOKBACK_DAYS * DAY_MS) },
    },
    _count: { _all: true },
  })
  const counts = new Map(recent.map((r) => [r.assignedUserId, r._count._all]))
  const picked = pickRoundRobinMember(
    slot.freeMemberIds,
    calendar.members.map((m) => ({
      memberId: m.userId,
      priority: m.priority,
      recentBookings: counts.get(m.userId) ?? 0,
    })),
  )
  if (picked === null) throw new SlotUnavailableError()
  return { assignedUserId: picked, userIds: [picked] }
}

/** Transaction-scoped advisory locks, one per user, in a global order. */
async function lockUsers(tx: Tx, userIds: readonly string[]): Promise<void> {
  for (const userId of [...new Set(userIds)].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${userId}))`
  }
}

/** userId -> the Calendar id of their linked iCloud calendar in this subaccount. */
async function linkedCalendars(tx: Tx, subaccountId: string, userIds: string[]): Promise<Map<string, string>> {
  const rows = await tx.integration.findMany({
    where: { subaccountId, userId: { in: userIds }, status: { not: 'DISCONNECTED' }, linkedCalendar: { isNot: null } },
    select: { userId: true, linkedCalendar: { select: { calendarId: true } } },
  })
  const out = new Map<string, string>()
  for (const row of rows) if (row.linkedCalendar) out.set(row.userId, row.linkedCalendar.calendarId)
  return out
}

/**
 * The appointment an earlier request with this key booked, when this request is a retry of it (same calendar,
 * start as first booked, contact e-mail); IdempotencyKeyReusedError when the key was used for a different booking.
 */
async function findByIdempotencyKey(db: Tx, input: BookAppointmentInput): Promise<Appointment | null> {
  const key = input.idempotencyKey ?? null
  if (key === null) return null
  const found = await db.appointment.findUnique({
    where: { calendarId_idempotencyKey: { calendarId: input.calendarId, idempotencyKey: key } },
    include: {
      contact: { select: { email: true } },
      history: { orderBy: { createdAt: 'asc' }, take: 1, select: { change: true } },
    },
  })
  if (!found || found.subaccountId !== input.subaccountId) return null
  const { contact, history, ...appointment } = found
  const bookedStart = (history[0]?.change as { start?: string } | undefined)?.start ?? appointment.start.toISOString()
  const sameRequest =
    Date.parse(bookedStart) === input.start.getTime() && contact.email === input.contact.email.trim().toLowerCase()
  if (!sameRequest) throw new IdempotencyKeyReusedError()
  return appointment
}

async function participantUserIds(services: Pick<Services, 'prisma'>, appointmentId: string): Promise<string[]> {
  const rows = await services.prisma.appointmentParticipant.findMany({
    where: { appointmentId, active: true },
    select: { userId: true },
  })
  return rows.map((r) => r.userId)
}

/** Prisma P2002: a unique index refused the write. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002'
}

function min(a: Date, b: Date): Date {
  return a < b ? a : b
}
function max(a: Date, b: Date): Date {
  return a > b ? a : b
}
