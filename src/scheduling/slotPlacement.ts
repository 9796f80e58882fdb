// Inside a booking transaction (booking.ts), after the users' locks: the slot re-checked with the same loader and pure
// function as the availability query, who takes it, and where each participant's copy is written.
import type { Services } from '../app/services.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import { NotFoundError } from '../errors.ts'
import { SlotUnavailableError } from './errors.ts'
import {
  loadAvailabilityInput,
  staleAfterMs,
  type AvailabilityInput,
  type LoadedCalendar,
} from './loadAvailabilityInput.ts'
import { pickRoundRobinMember } from './roundRobin.ts'
import { computeSlots, type Slot } from './slots.ts'
import { DAY_MS } from '../time/zoneOffsets.ts'

/** Round robin balances over bookings made in this many days. */
const ROUND_ROBIN_LOOKBACK_DAYS = 30

type Tx = Prisma.TransactionClient

export interface PlacementRequest {
  calendarId: string
  subaccountId: string
  start: number
  now: number
  /** Rescheduling: the appointment's own busy time does not block its new time. */
  excludeAppointmentId?: string
  /** Rescheduling: the person who has it now keeps it when free at the new time. */
  currentAssignee: string | null
}

export interface Placement {
  loaded: AvailabilityInput
  slot: Slot
  assignedUserId: string
  userIds: string[]
  /** userId -> the Calendar id of their linked iCloud calendar in this subaccount. */
  linked: Map<string, string>
}

/** SlotUnavailableError when the start is no longer a free slot of the calendar. */
export async function placeInSlot(
  services: Pick<Services, 'config' | 'busyTimeCache'>,
  tx: Tx,
  request: PlacementRequest,
): Promise<Placement> {
  const { loaded, slot } = await checkSlot(services, tx, request)
  const participants = await chooseParticipants(tx, loaded, slot, request.currentAssignee, request.now)
  const linked = await linkedCalendars(tx, request.subaccountId, participants.userIds)
  return { loaded, slot, ...participants, linked }
}

async function checkSlot(
  services: Pick<Services, 'config' | 'busyTimeCache'>,
  tx: Tx,
  { calendarId, start, now, excludeAppointmentId }: PlacementRequest,
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
  const picked = await pickByRecentBookings(tx, calendar, slot, now)
  return { assignedUserId: picked, userIds: [picked] }
}

/** Round robin among the free members, balanced over their bookings of the last 30 days (roundRobin.ts). */
async function pickByRecentBookings(tx: Tx, calendar: LoadedCalendar, slot: Slot, now: number): Promise<string> {
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
  return picked
}

async function linkedCalendars(tx: Tx, subaccountId: string, userIds: string[]): Promise<Map<string, string>> {
  const rows = await tx.integration.findMany({
    where: { subaccountId, userId: { in: userIds }, status: { not: 'DISCONNECTED' }, linkedCalendar: { isNot: null } },
    select: { userId: true, linkedCalendar: { select: { calendarId: true } } },
  })
  const out = new Map<string, string>()
  for (const row of rows) if (row.linkedCalendar) out.set(row.userId, row.linkedCalendar.calendarId)
  return out
}
