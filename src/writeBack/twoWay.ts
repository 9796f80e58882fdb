// Edits made in iCloud to an event the CRM wrote flow back into the appointment.
//
// The rule for conflicting edits (both sides changed since the last sync, or a 412 on our write): the edit made in
// iCloud wins for time, title, location and notes, and the CRM version it replaced is kept in AppointmentHistory
// (kind CONFLICT_ICLOUD_WINS, `replaced`), so nothing is lost. A cancellation made in the CRM always wins (the outbox
// then removes the event from iCloud). An edit to a copy the CRM no longer owns (participant inactive, or the UID at
// another href than the one we wrote) is ignored. STATUS:CANCELLED set in iCloud does not cancel the CRM appointment
// (like a deletion, see crmEvents.ts): it is only recorded.
import { readAppointmentEvent, type AppointmentEventFields } from '../caldav/ical/index.ts'
import type { Appointment, AppointmentParticipant, Prisma } from '../generated/prisma/client.ts'
import { recordAppointmentEvent } from '../webhooks/hooks.ts'
import { sameHref } from './eventForAppointment.ts'

type Tx = Prisma.TransactionClient

export interface ICloudEditResult {
  appointmentId: string
  /** The appointment's time, title, location or notes changed. */
  changed: boolean
  timeChanged: boolean
  userIds: string[]
  calendarId: string
  before: { start: Date; end: Date }
  after: { start: Date; end: Date }
  /** The AppointmentHistory row written (null when nothing changed): proves the edit committed (crmEvents.ts). */
  historyId: string | null
  /** Other participants' copies were queued for write-back. */
  queuedOthers: boolean
}

const CONTACT_BLOCK = /\n*Booked by [^\n]*(\nPhone: [^\n]*)?\s*$/

/** The notes the user wrote, without the contact block the CRM appends to the iCloud description. */
function notesFromDescription(description: string | null): string | null {
  if (description === null) return null
  const notes = description.replace(CONTACT_BLOCK, '').trim()
  return notes === '' ? null : notes
}

type Edit = { appointmentId: string; userId: string; href: string; etag: string | null; data: string }
type AppointmentWithParticipants = Appointment & { participants: AppointmentParticipant[] }
/** The appointment's values as the iCloud copy now has them. */
type IncomingValues = Pick<Appointment, 'start' | 'end' | 'title' | 'location' | 'notes'>

export async function applyICloudEdit(tx: Tx, edit: Edit): Promise<ICloudEditResult | null> {
  const tracked = await trackedCopy(tx, edit)
  if (!tracked) return null
  const { appointment, participant } = tracked
  const fields = await readEdit(tx, edit)
  // The server's spelling of the href from now on; a copy marked deleted that is back is tracked again.
  const remote = {
    remoteHref: edit.href,
    remoteEtag: edit.etag,
    ...(participant.writeBackState === 'REMOVED_IN_ICLOUD' ? { writeBackState: 'PENDING' as const } : {}),
  }
  if (!fields || fields.cancelled || appointment.status === 'CANCELLED') {
    await tx.appointmentParticipant.update({ where: { id: participant.id }, data: remote })
    return null
  }

  const incoming: IncomingValues = {
    start: fields.start,
    end: fields.end,
    title: fields.summary ?? appointment.title,
    location: fields.location,
    notes: notesFromDescription(fields.description),
  }
  const result = compareEdit(appointment, incoming)
  if (!result.changed) {
    await tx.appointmentParticipant.update({ where: { id: participant.id }, data: remote })
    return result
  }

  result.historyId = await recordEditInHistory(tx, appointment, participant, incoming, edit.userId)
  // A new sequence for the CRM version: the other participants' copies must follow; this copy already has it.
  const sequence = Math.max(appointment.sequence + 1, fields.sequence)
  await tx.appointment.update({ where: { id: appointment.id }, data: { ...incoming, sequence } })
  result.queuedOthers = await moveCopies(tx, appointment.participants, participant.id, incoming, {
    ...remote,
    pushedSequence: sequence,
  })
  // After the writes above: the payload reads the appointment as this transaction leaves it.
  await recordAppointmentEvent(tx, 'appointment.updated_in_icloud', appointment, {
    before: appointment,
    after: incoming,
    iCloudUserId: edit.userId,
  })
  return result
}

/**
 * The appointment and the participant whose copy was edited; null for a copy the CRM no longer owns or does not
 * maintain, and for our own write coming back.
 */
async function trackedCopy(
  tx: Tx,
  edit: Edit,
): Promise<{ appointment: AppointmentWithParticipants; participant: AppointmentParticipant } | null> {
  const appointment = await tx.appointment.findUnique({
    where: { id: edit.appointmentId },
    include: { participants: true },
  })
  const participant = appointment?.participants.find((p) => p.userId === edit.userId)
  if (!appointment || !participant || !participant.active) return null
  // The same UID somewhere else (a copy the user made, the old linked calendar): not the resource we maintain.
  if (participant.remoteHref !== null && !sameHref(participant.remoteHref, edit.href)) return null
  // Our own write coming back: nothing to learn from it.
  if (edit.etag !== null && edit.etag === participant.remoteEtag) return null
  return { appointment, participant }
}

/** The edited event's fields in its owner's zone; null when unreadable (the CRM version is kept). */
async function readEdit(tx: Tx, edit: Edit): Promise<AppointmentEventFields | null> {
  const owner = await tx.user.findUniqueOrThrow({ where: { id: edit.userId }, select: { timeZone: true } })
  try {
    return readAppointmentEvent(edit.data, owner.timeZone)
  } catch {
    return null // unreadable: keep the CRM version, remember where the event is
  }
}

function compareEdit(appointment: AppointmentWithParticipants, incoming: IncomingValues): ICloudEditResult {
  const timeChanged =
    incoming.start.getTime() !== appointment.start.getTime() || incoming.end.getTime() !== appointment.end.getTime()
  const changed =
    timeChanged ||
    incoming.title !== appointment.title ||
    incoming.location !== appointment.location ||
    incoming.notes !== appointment.notes
  return {
    appointmentId: appointment.id,
    changed,
    timeChanged,
    userIds: appointment.participants.map((p) => p.userId),
    calendarId: appointment.calendarId,
    before: { start: appointment.start, end: appointment.end },
    after: { start: incoming.start, end: incoming.end },
    historyId: null,
    queuedOthers: false,
  }
}

/** The edit in the history, with the CRM version it replaced: CONFLICT_ICLOUD_WINS when that had not been pushed. */
async function recordEditInHistory(
  tx: Tx,
  appointment: Appointment,
  participant: AppointmentParticipant,
  incoming: IncomingValues,
  byUserId: string,
): Promise<string> {
  const crmVersion = {
    start: appointment.start.toISOString(),
    end: appointment.end.toISOString(),
    title: appointment.title,
    location: appointment.location,
    notes: appointment.notes,
    sequence: appointment.sequence,
  }
  const unpushedCrmChange = participant.pushedSequence !== null && appointment.sequence > participant.pushedSequence
  const history = await tx.appointmentHistory.create({
    data: {
      appointmentId: appointment.id,
      source: 'ICLOUD',
      change: {
        kind: unpushedCrmChange ? 'CONFLICT_ICLOUD_WINS' : 'EDITED_IN_ICLOUD',
        replaced: crmVersion,
        applied: { ...incoming, start: incoming.start.toISOString(), end: incoming.end.toISOString() },
        byUserId,
      },
    },
    select: { id: true },
  })
  return history.id
}

/**
 * Every participant row moves to the edited time: the edited copy is recorded as synced, the other written copies
 * are queued to follow (true when there were any).
 */
async function moveCopies(
  tx: Tx,
  participants: AppointmentParticipant[],
  sourceId: string,
  incoming: IncomingValues,
  sourceRemote: { remoteHref: string; remoteEtag: string | null; pushedSequence: number },
): Promise<boolean> {
  let queuedOthers = false
  for (const other of participants) {
    const isSource = other.id === sourceId
    const follows =
      !isSource && other.active && other.writeBackState !== null && other.writeBackState !== 'REMOVED_IN_ICLOUD'
    await tx.appointmentParticipant.update({
      where: { id: other.id },
      data: {
        start: incoming.start,
        end: incoming.end,
        ...(isSource
          ? { ...sourceRemote, writeBackState: 'SYNCED', writeBackError: null }
          : follows
            ? { writeBackState: 'PENDING', nextAttemptAt: null, attempts: 0 }
            : {}),
      },
    })
    if (follows) queuedOthers = true
  }
  return queuedOthers
}

export interface ICloudRemovalResult {
  appointmentId: string
  calendarId: string
  userIds: string[]
  /** The AppointmentHistory row written: proves the removal committed (crmEvents.ts). */
  historyId: string
}

/**
 * The participant's copy was deleted in iCloud: marked REMOVED_IN_ICLOUD (never re-created), recorded in the history
 * and reported once; null when it was already marked (the sync and the outbox may both notice).
 */
export async function markRemovedInICloud(
  tx: Tx,
  participant: { id: string; userId: string; appointmentId: string },
): Promise<ICloudRemovalResult | null> {
  const marked = await tx.appointmentParticipant.updateMany({
    where: { id: participant.id, OR: [{ writeBackState: null }, { writeBackState: { not: 'REMOVED_IN_ICLOUD' } }] },
    data: { writeBackState: 'REMOVED_IN_ICLOUD', remoteEtag: null, writeBackError: null, nextAttemptAt: null },
  })
  if (marked.count === 0) return null
  const appointment = await tx.appointment.findUniqueOrThrow({
    where: { id: participant.appointmentId },
    select: { id: true, subaccountId: true, calendarId: true, participants: { select: { userId: true } } },
  })
  const history = await tx.appointmentHistory.create({
    data: {
      appointmentId: appointment.id,
      source: 'ICLOUD',
      change: { kind: 'REMOVED_IN_ICLOUD', byUserId: participant.userId },
    },
    select: { id: true },
  })
  await recordAppointmentEvent(tx, 'appointment.removed_in_icloud', appointment, { iCloudUserId: participant.userId })
  return {
    appointmentId: appointment.id,
    calendarId: appointment.calendarId,
    userIds: appointment.participants.map((p) => p.userId),
    historyId: history.id,
  }
}
