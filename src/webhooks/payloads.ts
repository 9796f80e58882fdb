// The `data` of each event: what a CRM backend needs to act without calling back, with the API's global IDs (the
// same strings as `Node.id`, so `node(id:)` finds the object).
import type { Prisma } from '../generated/prisma/client.ts'

type Tx = Prisma.TransactionClient

/** Relay global ID, as @pothos/plugin-relay encodes it: base64("Type:id"). */
export function globalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64')
}

export interface AppointmentFields {
  start: Date
  end: Date
  title: string
  location: string | null
  notes: string | null
}

export function appointmentFields(fields: AppointmentFields) {
  return {
    start: fields.start.toISOString(),
    end: fields.end.toISOString(),
    title: fields.title,
    location: fields.location,
    notes: fields.notes,
  }
}

/** The appointment as it is in this transaction. */
export async function appointmentData(tx: Tx, appointmentId: string) {
  const a = await tx.appointment.findUniqueOrThrow({
    where: { id: appointmentId },
    include: {
      contact: true,
      participants: { where: { active: true }, select: { userId: true }, orderBy: { userId: 'asc' } },
    },
  })
  return {
    id: globalId('Appointment', a.id),
    calendarId: globalId('CrmCalendar', a.calendarId),
    status: a.status,
    ...appointmentFields(a),
    sequence: a.sequence,
    assignedUserId: globalId('User', a.assignedUserId),
    participantUserIds: a.participants.map((p) => globalId('User', p.userId)),
    contact: {
      id: globalId('Contact', a.contact.id),
      name: a.contact.name,
      email: a.contact.email,
      phone: a.contact.phone,
    },
  }
}

export async function integrationData(tx: Tx, integrationId: string, previousStatus: string | null) {
  const i = await tx.integration.findUniqueOrThrow({ where: { id: integrationId } })
  return {
    id: globalId('Integration', i.id),
    userId: globalId('User', i.userId),
    provider: i.provider,
    appleId: i.appleId,
    status: i.status,
    previousStatus,
    lastError: i.lastError,
  }
}
