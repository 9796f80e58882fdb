// Booking, rescheduling and cancelling CRM appointments without double bookings.
//
// Every write runs in an interactive transaction that first takes a transaction-scoped advisory lock per user who
// could be involved (sorted, so two bookings never wait on each other in opposite orders), then re-loads busy time
// with the same loader as the availability query and re-checks the slot with the same pure function. Two requests for
// the last slot or seat therefore run one after the other and the second one sees the first one's appointment.
// PGlite serializes transactions anyway; PostgreSQL needs the locks.
import { randomUUID } from 'node:crypto'
import type { Services } from '../app/services.ts'
import type { Appointment, AppointmentParticipant, Prisma } from '../generated/prisma/client.ts'
import { NotFoundError } from '../errors.ts'
import { publishAppointmentChanged } from '../realtime/appointmentChanges.ts'
import { notifyBusyTimeChanged } from '../realtime/notify.ts'
import type { AppointmentChangeKind } from '../realtime/pubsub.ts'
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
import { placeInSlot, type Placement } from './slotPlacement.ts'
import { DAY_MS, MINUTE_MS } from '../time/zoneOffsets.ts'

const ICAL_UID_DOMAIN = 'icloud-scheduling-api'

type Tx = Prisma.TransactionClient
/** An appointment's (and its participants') time. */
type Span = { start: Date; end: Date }
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
  const iCloudRecheck = await recheckICloud(services, input.subaccountId, lockUserIds, options)

  const result = await bookInTransaction(services, input, { start, now, lockUserIds, iCloudRecheck })
  if (result.created) {
    const { appointment } = result
    await announce(services, appointment, {
      userIds: await participantUserIds(services, appointment.id),
      range: { from: appointment.start, to: appointment.end },
      kind: 'BOOKED',
      reason: 'appointment booked',
    })
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
  const oldUserIds = activeUserIds(current.participants)
  const lockUserIds = [...current.calendar.members.map((m) => m.userId), ...oldUserIds]
  const iCloudRecheck = await recheckICloud(services, input.subaccountId, lockUserIds, options)

  const updated = await services.prisma.$transaction(async (tx) => {
    await lockUsers(tx, lockUserIds)
    const fresh = await tx.appointment.findUniqueOrThrow({ where: { id: current.id }, include: { participants: true } })
    if (fresh.status === 'CANCELLED') throw new AppointmentCancelledError()
    const placement = await placeInSlot(services, tx, {
      calendarId: current.calendarId,
      subaccountId: current.subaccountId,
      start,
      now,
      excludeAppointmentId: current.id,
      currentAssignee: fresh.assignedUserId,
    })
    return moveAppointment(tx, fresh, placement, { start: new Date(start), end: new Date(placement.slot.end) })
  }, TRANSACTION_OPTIONS)

  await announce(services, updated, {
    userIds: [...new Set([...oldUserIds, ...(await participantUserIds(services, updated.id))])],
    range: { from: min(current.start, updated.start), to: max(current.end, updated.end) },
    kind: 'RESCHEDULED',
    reason: 'appointment rescheduled',
  })
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
  const userIds = activeUserIds(current.participants)

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

  await announce(services, updated, {
    userIds,
    range: { from: current.start, to: current.end },
    kind: 'CANCELLED',
    reason: 'appointment cancelled',
  })
  return updated
}

// --- steps shared by booking and rescheduling ---

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

/**
 * Before the transaction, never inside it: one incremental sync of the candidates' conflict calendars, bounded by
 * BOOKING_RECHECK_TIMEOUT_MS. The transaction then re-checks the slot against what it brought in.
 */
async function recheckICloud(
  services: BookingServices,
  subaccountId: string,
  userIds: string[],
  options: BookingOptions,
): Promise<ICloudRecheck> {
  if (options.skipICloudRecheck) return 'SKIPPED'
  return recheckICloudBeforeBooking(services, { subaccountId, userIds })
}

/** Transaction-scoped advisory locks, one per user, in a global order. */
async function lockUsers(tx: Tx, userIds: readonly string[]): Promise<void> {
  for (const userId of [...new Set(userIds)].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${userId}))`
  }
}

/** A participant row at the appointment's time, with their copy's write-back target and state. */
function newParticipant(
  userId: string,
  span: Span,
  linked: Map<string, string>,
  previous?: { writeBackState: string | null },
) {
  return {
    userId,
    start: span.start,
    end: span.end,
    remoteCalendarId: linked.get(userId) ?? null,
    writeBackState: writeBackStateFor(userId, linked, previous),
  }
}

/**
 * The write-back state of a participant's copy, given the row they had before (if any). The write-back outbox picks
 * up PENDING rows; users without a linked calendar (and no copy written earlier) have nothing to write.
 */
function writeBackStateFor(
  userId: string,
  linked: Map<string, string>,
  previous?: { writeBackState: string | null },
): 'PENDING' | 'REMOVED_IN_ICLOUD' | null {
  // Deleted in iCloud by the user: never re-created behind their back, whatever changes in the CRM.
  if (previous?.writeBackState === 'REMOVED_IN_ICLOUD') return 'REMOVED_IN_ICLOUD'
  const pending = linked.has(userId) || (previous !== undefined && previous.writeBackState !== null)
  return pending ? 'PENDING' : null
}

interface Announcement {
  userIds: string[]
  range: { from: Date; to: Date }
  kind: AppointmentChangeKind
  reason: string
}

/** After commit: availability subscribers, appointment subscribers, the write-back outbox and the webhook outbox. */
async function announce(services: BookingServices, appointment: Appointment, change: Announcement): Promise<void> {
  await notifyBusyTimeChanged(services, change.userIds, change.range, change.reason)
  publishAppointmentChanged(services, {
    appointmentId: appointment.id,
    calendarId: appointment.calendarId,
    userIds: change.userIds,
    kind: change.kind,
  })
  kickWriteBack(services)
  kickWebhooks(services)
}

// --- booking's own steps ---

interface BookingPlan {
  start: number
  now: number
  lockUserIds: string[]
  iCloudRecheck: ICloudRecheck
}

async function bookInTransaction(
  services: BookingServices,
  input: BookAppointmentInput,
  plan: BookingPlan,
): Promise<BookingResult> {
  const { iCloudRecheck } = plan
  try {
    return await services.prisma.$transaction(async (tx) => {
      await lockUsers(tx, plan.lockUserIds)
      // A concurrent request with the same key may have committed while we waited for the lock.
      const again = await findByIdempotencyKey(tx, input)
      if (again) return { appointment: again, created: false, iCloudRecheck }
      const appointment = await insertAppointment(services, tx, input, plan)
      return { appointment, created: true, iCloudRecheck }
    }, TRANSACTION_OPTIONS)
  } catch (error) {
    // Two first requests with one key on PostgreSQL: the loser of the unique index returns the winner's appointment.
    if ((input.idempotencyKey ?? null) !== null && isUniqueViolation(error)) {
      const winner = await findByIdempotencyKey(services.prisma, input)
      if (winner) return { appointment: winner, created: false, iCloudRecheck }
    }
    throw error
  }
}

async function insertAppointment(
  services: BookingServices,
  tx: Tx,
  input: BookAppointmentInput,
  { start, now }: BookingPlan,
): Promise<Appointment> {
  const placement = await placeInSlot(services, tx, {
    calendarId: input.calendarId,
    subaccountId: input.subaccountId,
    start,
    now,
    currentAssignee: null,
  })
  const contact = await upsertContact(tx, input.subaccountId, input.contact)
  const span = { start: new Date(start), end: new Date(placement.slot.end) }
  const appointment = await tx.appointment.create({
    data: {
      subaccountId: input.subaccountId,
      calendarId: input.calendarId,
      assignedUserId: placement.assignedUserId,
      contactId: contact.id,
      ...span,
      title: input.title?.trim() || `${placement.loaded.calendar.name} with ${contact.name}`,
      notes: input.notes ?? null,
      icalUid: `${randomUUID()}@${ICAL_UID_DOMAIN}`,
      idempotencyKey: input.idempotencyKey ?? null,
      participants: { create: placement.userIds.map((userId) => newParticipant(userId, span, placement.linked)) },
      history: {
        create: {
          source: 'CRM',
          change: { action: 'BOOKED', start: span.start.toISOString(), userIds: placement.userIds },
        },
      },
    },
  })
  await recordAppointmentEvent(tx, 'appointment.booked', appointment)
  return appointment
}

/** The contact with this e-mail in the subaccount, made on its first booking (later bookings leave it as it is). */
async function upsertContact(tx: Tx, subaccountId: string, contact: BookingContactInput) {
  const email = contact.email.trim().toLowerCase()
  return tx.contact.upsert({
    where: { subaccountId_email: { subaccountId, email } },
    create: { subaccountId, name: contact.name.trim(), email, phone: contact.phone ?? null },
    update: {},
  })
}

// --- rescheduling's own steps ---

type AppointmentWithParticipants = Appointment & { participants: AppointmentParticipant[] }

/** Inside the reschedule transaction: every participant row and the appointment itself moved to the new time. */
async function moveAppointment(
  tx: Tx,
  fresh: AppointmentWithParticipants,
  placement: Placement,
  span: Span,
): Promise<Appointment> {
  await removeParticipants(tx, fresh.participants, new Set(placement.userIds))
  for (const userId of placement.userIds) await moveParticipant(tx, fresh, userId, placement.linked, span)
  const rescheduled = await tx.appointment.update({
    where: { id: fresh.id },
    data: {
      ...span,
      assignedUserId: placement.assignedUserId,
      sequence: { increment: 1 },
      history: {
        create: {
          source: 'CRM',
          change: {
            action: 'RESCHEDULED',
            from: { start: fresh.start.toISOString(), end: fresh.end.toISOString() },
            to: { start: span.start.toISOString(), end: span.end.toISOString() },
            userIds: placement.userIds,
          },
        },
      },
    },
  })
  await recordAppointmentEvent(tx, 'appointment.rescheduled', rescheduled, { before: fresh, after: rescheduled })
  return rescheduled
}

/** Active participants the new time no longer includes: the outbox deletes their copy if it was ever written. */
async function removeParticipants(tx: Tx, participants: AppointmentParticipant[], keep: Set<string>): Promise<void> {
  for (const p of participants) {
    if (keep.has(p.userId)) continue
    if (!p.active) continue
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
}

/** A participant at the new time: their row moved (and their copy queued again), or made when they are new. */
async function moveParticipant(
  tx: Tx,
  fresh: AppointmentWithParticipants,
  userId: string,
  linked: Map<string, string>,
  span: Span,
): Promise<void> {
  const previous = fresh.participants.find((p) => p.userId === userId)
  const row = newParticipant(userId, span, linked, previous)
  await tx.appointmentParticipant.upsert({
    where: { appointmentId_userId: { appointmentId: fresh.id, userId } },
    create: { appointmentId: fresh.id, ...row },
    update: {
      ...span,
      active: true,
      writeBackState: row.writeBackState,
      nextAttemptAt: null,
      ...(previous?.remoteCalendarId ? {} : { remoteCalendarId: row.remoteCalendarId }),
    },
  })
}

// --- lookups ---

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

function activeUserIds(participants: { userId: string; active: boolean }[]): string[] {
  return participants.filter((p) => p.active).map((p) => p.userId)
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
