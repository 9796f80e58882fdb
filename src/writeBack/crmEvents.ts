// Two-way sync of CRM-created appointments on the linked calendar. The sync engine calls these hooks, inside the
// transaction that writes the object, for resources whose UID is the icalUid of an appointment of this user; such
// resources never become blocked slots (the appointment already blocks the time).
//
// After-commit effects. A hook runs inside the engine's transaction, so it must not publish anything (a subscriber
// could read the database before the commit, or the transaction could roll back). Edits are recorded in the
// AsyncLocalStorage scope that `withCrmEventEffects` opens around a whole sync run (src/sync/syncIntegration.ts, startClaimed);
// when the run is over, the effects whose AppointmentHistory row exists (i.e. whose transaction committed) are
// published: availability/blocked-slot subscribers of every participant, and the outbox is kicked when other
// participants' copies were queued.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Prisma } from '../generated/prisma/client.ts'
import { publishAppointmentChanged } from '../realtime/appointmentChanges.ts'
import { notifyBusyTimeChanged } from '../realtime/notify.ts'
import type { CrmEventChange, CrmEventDeletion, CrmEventHooks, SyncServices } from '../sync/ports.ts'
import { kickWebhooks } from '../webhooks/worker.ts'
import { sameHref } from './eventForAppointment.ts'
import { kickWriteBack } from './scheduler.ts'
import { applyICloudEdit, markRemovedInICloud, type ICloudEditResult, type ICloudRemovalResult } from './twoWay.ts'

type Effect = (ICloudEditResult & { historyId: string }) | (ICloudRemovalResult & { removed: true })
const effects = new AsyncLocalStorage<Effect[]>()

/** Runs a sync with a scope for after-commit effects and publishes the committed ones when it is over. */
async function withCrmEventEffects<T>(services: SyncServices, run: () => Promise<T>): Promise<T> {
  const recorded: Effect[] = []
  try {
    return await effects.run(recorded, run)
  } finally {
    await publishCommitted(services, recorded).catch((error: unknown) =>
      services.logger.warn({ err: error }, 'publishing iCloud edits of appointments failed'),
    )
  }
}

async function publishCommitted(services: SyncServices, recorded: Effect[]): Promise<void> {
  if (recorded.length === 0) return
  const committed = new Set(
    (
      await services.prisma.appointmentHistory.findMany({
        where: { id: { in: recorded.map((e) => e.historyId) } },
        select: { id: true },
      })
    ).map((row) => row.id),
  )
  let kick = false
  for (const effect of recorded) {
    if (!committed.has(effect.historyId)) continue
    const kind = 'removed' in effect ? 'REMOVED_IN_ICLOUD' : 'UPDATED_IN_ICLOUD'
    publishAppointmentChanged(services, { ...effect, kind })
    if ('removed' in effect) continue
    const from = new Date(Math.min(effect.before.start.getTime(), effect.after.start.getTime()))
    const to = new Date(Math.max(effect.before.end.getTime(), effect.after.end.getTime()))
    await notifyBusyTimeChanged(services, effect.userIds, { from, to }, 'appointment edited in iCloud')
    if (effect.queuedOthers) kick = true
  }
  if (kick) kickWriteBack(services)
  kickWebhooks(services)
}

/** The resource changed in iCloud: apply the edit to the appointment (rule in writeBack/twoWay.ts). */
async function onCrmEventChanged(tx: Prisma.TransactionClient, change: CrmEventChange): Promise<void> {
  const result = await applyICloudEdit(tx, change)
  if (result?.changed && result.historyId) effects.getStore()?.push({ ...result, historyId: result.historyId })
  if (result === null) {
    // Not applied (another copy, inactive participant, cancelled): only remember where a copy we never saw is.
    await tx.appointmentParticipant.updateMany({
      where: { appointmentId: change.appointmentId, userId: change.userId, remoteHref: null },
      data: { remoteCalendarId: change.calendarId, remoteHref: change.href, remoteEtag: change.etag },
    })
  }
}

/**
 * Deleted in iCloud: the appointment stays in the CRM, its copy is marked REMOVED_IN_ICLOUD so the CRM user sees it,
 * and the outbox never re-creates it behind their back. A copy the CRM itself removed (cancelled, reassigned) or a
 * UID at another href is not ours to mark.
 */
async function onCrmEventDeleted(tx: Prisma.TransactionClient, deletion: CrmEventDeletion): Promise<void> {
  const participant = await tx.appointmentParticipant.findUnique({
    where: { appointmentId_userId: { appointmentId: deletion.appointmentId, userId: deletion.userId } },
    include: { appointment: { select: { status: true } } },
  })
  if (!participant || !participant.active || participant.appointment.status === 'CANCELLED') return
  if (participant.remoteHref === null || !sameHref(participant.remoteHref, deletion.href)) return
  const removal = await markRemovedInICloud(tx, participant)
  if (removal) effects.getStore()?.push({ ...removal, removed: true })
}

/** The hooks the sync engine is given (Services.crmEvents). */
export const crmEventHooks: CrmEventHooks = {
  withEffects: withCrmEventEffects,
  changed: onCrmEventChanged,
  deleted: onCrmEventDeleted,
}
