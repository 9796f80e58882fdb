// What the iCloud copy of a CRM appointment says: one VEVENT per participant's calendar, stable UID, the contact
// and the other participants as attendees (SCHEDULE-AGENT=CLIENT is set by the writer, so iCloud e-mails nobody).
import type { AppointmentEventInput } from '../caldav/ical/index.ts'
import type { Prisma } from '../generated/prisma/client.ts'

export const participantWithAppointment = {
  user: true,
  appointment: {
    include: {
      contact: true,
      calendar: { select: { name: true } },
      participants: { where: { active: true }, include: { user: true } },
    },
  },
} satisfies Prisma.AppointmentParticipantInclude

export type ParticipantWithAppointment = Prisma.AppointmentParticipantGetPayload<{
  include: typeof participantWithAppointment
}>

export function eventForAppointment(participant: ParticipantWithAppointment): AppointmentEventInput {
  const { appointment, user } = participant
  const { contact } = appointment
  const contactLines = [
    `Booked by ${contact.name} <${contact.email}>`,
    contact.phone ? `Phone: ${contact.phone}` : null,
  ]
  const description = [appointment.notes, contactLines.filter(Boolean).join('\n')].filter(Boolean).join('\n\n')
  return {
    uid: appointment.icalUid,
    start: appointment.start,
    end: appointment.end,
    // The organiser's zone (RFC 5545 §3.3.5 form 3), with its VTIMEZONE embedded by the writer.
    timeZone: user.timeZone,
    summary: appointment.title,
    description,
    location: appointment.location,
    organizer: { name: user.name, email: user.email },
    attendees: [
      { name: contact.name, email: contact.email },
      ...appointment.participants
        .filter((other) => other.userId !== user.id)
        .map((other) => ({ name: other.user.name, email: other.user.email })),
    ],
    sequence: appointment.sequence,
    crmAppointmentId: appointment.id,
    status: appointment.status === 'CANCELLED' ? 'CANCELLED' : 'CONFIRMED',
  }
}

/**
 * `<calendar path><uid>.ics`. Our UIDs are `<uuid>@<domain>`; '@' is a legal path character (RFC 3986 §3.3), so it
 * is written raw: servers list hrefs in varying encodings, and a raw href compares equal after decoding (sameHref).
 */
export function resourceHref(calendarPath: string, uid: string): string {
  const base = calendarPath.endsWith('/') ? calendarPath : `${calendarPath}/`
  return `${base}${uid.replace(/[^A-Za-z0-9@._~-]/g, '-')}.ics`
}

/** Hrefs as servers list them may differ in percent-encoding (`%40` vs `@`). */
export function sameHref(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b
  const normal = (href: string) => {
    try {
      return decodeURIComponent(href)
    } catch {
      return href
    }
  }
  return normal(a) === normal(b)
}
