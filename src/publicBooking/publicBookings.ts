// Booking, viewing, rescheduling and cancelling without an account: the existing booking domain
// (../scheduling/booking.ts: locks, idempotency, re-check, write-back) behind a published calendar or a manage token.
import type { Services } from '../app/services.ts'
import type { Appointment } from '../generated/prisma/client.ts'
import { bookAppointment, cancelAppointment, rescheduleAppointment } from '../scheduling/booking.ts'
import { InvalidInputError } from '../errors.ts'
import { InvalidManageTokenError } from './errors.ts'
import type { ManageTokenService } from './manageTokens.ts'
import { requirePublishedCalendar, toPublicCalendar, type PublicCalendar } from './publicCalendar.ts'

type PublicServices = Services & { manageTokens: ManageTokenService }

export interface PublicBooking {
  appointmentId: string
  start: Date
  end: Date
  status: 'BOOKED' | 'CANCELLED'
  inviteeName: string
  inviteeEmail: string
  calendar: PublicCalendar
}

export interface BookPublicSlotInput {
  subaccountSlug: string
  calendarSlug: string
  start: Date
  name: string
  email: string
  phone?: string | null
  notes?: string | null
  idempotencyKey: string
}

export interface ManagedBooking {
  booking: PublicBooking
  manageToken: string
}

export async function bookPublicSlot(services: PublicServices, input: BookPublicSlotInput): Promise<ManagedBooking> {
  const { calendar } = await requirePublishedCalendar(services, input.subaccountSlug, input.calendarSlug)
  const { appointment, created } = await bookAppointment(services, {
    subaccountId: calendar.subaccountId,
    calendarId: calendar.id,
    start: input.start,
    contact: { name: input.name, email: input.email, phone: input.phone ?? null },
    // Own namespace: a widget's key can never return an appointment a CRM user booked with the same key.
    idempotencyKey: `public:${input.idempotencyKey}`,
    notes: input.notes ?? null,
  })
  const booking = await loadPublicBooking(services, appointment.id)
  if (!created && !isSameRequest(booking, input)) {
    // A retry carries the same invitee and time; anything else must not see (or get a token for) that booking.
    throw InvalidInputError.at(['idempotencyKey'], 'This idempotency key was already used for a different booking.')
  }
  return { booking, manageToken: await services.manageTokens.sign(appointment.id, appointment.end) }
}

export async function publicBookingByToken(services: PublicServices, token: string): Promise<PublicBooking | null> {
  const appointmentId = await services.manageTokens.verify(token)
  if (appointmentId === null) return null
  return loadPublicBooking(services, appointmentId).catch((error: unknown) => {
    if (error instanceof InvalidManageTokenError) return null
    throw error
  })
}

export async function cancelBookingByToken(
  services: PublicServices,
  token: string,
  reason: string | null,
): Promise<PublicBooking> {
  const appointment = await appointmentForToken(services, token)
  await cancelAppointment(services, {
    subaccountId: appointment.subaccountId,
    appointmentId: appointment.id,
    reason: reason ?? 'Cancelled by the invitee',
  })
  return loadPublicBooking(services, appointment.id)
}

/** Moves the booking; the answer carries a new manage token whose expiry follows the new time. */
export async function rescheduleBookingByToken(
  services: PublicServices,
  token: string,
  start: Date,
): Promise<ManagedBooking> {
  const appointment = await appointmentForToken(services, token)
  const { appointment: moved } = await rescheduleAppointment(services, {
    subaccountId: appointment.subaccountId,
    appointmentId: appointment.id,
    start,
  })
  return {
    booking: await loadPublicBooking(services, moved.id),
    manageToken: await services.manageTokens.sign(moved.id, moved.end),
  }
}

async function appointmentForToken(services: PublicServices, token: string): Promise<Appointment> {
  const appointmentId = await services.manageTokens.verify(token)
  const appointment = appointmentId
    ? await services.prisma.appointment.findUnique({ where: { id: appointmentId } })
    : null
  if (!appointment) throw new InvalidManageTokenError()
  return appointment
}

async function loadPublicBooking(services: Pick<Services, 'prisma'>, appointmentId: string): Promise<PublicBooking> {
  const row = await services.prisma.appointment.findUnique({
    where: { id: appointmentId },
    include: { contact: true, calendar: { include: { subaccount: true } } },
  })
  if (!row) throw new InvalidManageTokenError()
  const { subaccount, ...calendar } = row.calendar
  return {
    appointmentId: row.id,
    start: row.start,
    end: row.end,
    status: row.status,
    inviteeName: row.contact.name,
    inviteeEmail: row.contact.email,
    calendar: toPublicCalendar(calendar, subaccount),
  }
}

function isSameRequest(booking: PublicBooking, input: BookPublicSlotInput): boolean {
  return booking.start.getTime() === input.start.getTime() && booking.inviteeEmail === input.email.trim().toLowerCase()
}
