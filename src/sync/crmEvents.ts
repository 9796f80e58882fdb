// Two-way sync of CRM-created appointments on the linked calendar. The sync engine calls these hooks, inside the
// transaction that writes the object, for resources whose UID is the icalUid of an appointment of this user; such
// resources never become blocked slots (the appointment already blocks the time). Minimal for now: the write-back
// engine extends these (time changes made in iCloud, history).
import type { Prisma } from '../generated/prisma/client.ts'

export interface CrmEventChange {
  appointmentId: string
  userId: string
  /** Calendar row id (the linked calendar). */
  calendarId: string
  href: string
  etag: string | null
  data: string
}

export interface CrmEventDeletion {
  appointmentId: string
  userId: string
  calendarId: string
  href: string
}

export async function onCrmEventChanged(tx: Prisma.TransactionClient, change: CrmEventChange): Promise<void> {
  await tx.appointmentParticipant.updateMany({
    where: { appointmentId: change.appointmentId, userId: change.userId },
    data: { remoteCalendarId: change.calendarId, remoteHref: change.href, remoteEtag: change.etag },
  })
}

/** Deleted in iCloud: the appointment stays in the CRM, marked so the CRM user can decide (never re-created silently). */
export async function onCrmEventDeleted(tx: Prisma.TransactionClient, deletion: CrmEventDeletion): Promise<void> {
  await tx.appointmentParticipant.updateMany({
    where: {
      appointmentId: deletion.appointmentId,
      userId: deletion.userId,
      OR: [{ remoteHref: deletion.href }, { remoteHref: null }],
    },
    data: { writeBackState: 'REMOVED_IN_ICLOUD', remoteEtag: null },
  })
}
