// Writes one participant's copy of an appointment to their linked iCloud calendar: create with If-None-Match: *,
// update with If-Match, delete on cancellation. The href and ETag are stored, so nothing ever scans a calendar.
import type { Services } from '../app/services.ts'
import {
  CalDavAuthError,
  CalDavForbiddenError,
  CalDavPreconditionFailedError,
  CalDavRateLimitedError,
  type CalDavClient,
} from '../caldav/index.ts'
import {
  buildAppointmentEvent,
  ICalParseError,
  readAppointmentEvent,
  updateAppointmentEvent,
  type AppointmentEventInput,
} from '../caldav/ical/index.ts'
import type { Calendar } from '../generated/prisma/client.ts'
import { createICloudClient, storedLogin } from '../integrations/icloud/caldavSession.ts'
import { jitteredBackoffMs } from '../outbox/claim.ts'
import { publishAppointmentChanged } from '../realtime/appointmentChanges.ts'
import { notifyBusyTimeChanged } from '../realtime/notify.ts'
import { kickWebhooks } from '../webhooks/worker.ts'
import {
  eventForAppointment,
  participantWithAppointment,
  resourceHref,
  type ParticipantWithAppointment,
} from './eventForAppointment.ts'
import { applyICloudEdit, markRemovedInICloud } from './twoWay.ts'

const MAX_WRITE_ATTEMPTS = 8
const MAX_BACKOFF_MS = 60 * 60_000

export type PushOutcome = 'SYNCED' | 'RETRY' | 'FAILED' | 'REMOVED_IN_ICLOUD' | 'SKIPPED'

function backoffMs(attempt: number, retryAfterMs?: number): number {
  return Math.max(jitteredBackoffMs(attempt, 5_000, MAX_BACKOFF_MS), retryAfterMs ?? 0)
}

export async function pushParticipant(services: Services, participantId: string): Promise<PushOutcome> {
  const { prisma } = services
  const participant = await prisma.appointmentParticipant.findUnique({
    where: { id: participantId },
    include: participantWithAppointment,
  })
  if (!participant || participant.writeBackState !== 'PENDING') return 'SKIPPED'
  const integration = await prisma.integration.findUnique({
    where: { userId_subaccountId: { userId: participant.userId, subaccountId: participant.appointment.subaccountId } },
    include: { linkedCalendar: { include: { calendar: true } } },
  })
  if (!integration || integration.status === 'DISCONNECTED') {
    return fail(services, participantId, 'The user is no longer connected to iCloud.')
  }
  if (integration.status === 'NEEDS_REAUTH') {
    // Not the event's fault: wait for the reconnect without using up the attempts.
    await postpone(services, participant.id, 'iCloud needs the user to reconnect with a new app-specific password.')
    return 'RETRY'
  }
  const calendar = participant.remoteCalendarId
    ? await prisma.calendar.findUnique({ where: { id: participant.remoteCalendarId } })
    : (integration.linkedCalendar?.calendar ?? null)

  try {
    const client = createICloudClient(services, storedLogin(services, integration), 'writeBack')
    return await writeCopy(services, client, participant, calendar)
  } catch (error) {
    return outcomeOfError(services, participant, error)
  }
}

/** Deletes, creates or updates the participant's copy in `calendar` (their linked calendar, or where it was written). */
async function writeCopy(
  services: Services,
  client: CalDavClient,
  participant: ParticipantWithAppointment,
  calendar: Calendar | null,
): Promise<PushOutcome> {
  const { appointment } = participant
  if (appointment.status !== 'BOOKED' || !participant.active) {
    if (participant.remoteHref) await deleteRemote(client, participant.remoteHref, participant.remoteEtag)
    else if (calendar) await deleteIfOurs(client, resourceHref(calendar.path, appointment.icalUid), appointment.id)
    await finish(services, participant, { remoteHref: null, remoteEtag: null })
    return 'SYNCED'
  }
  if (!calendar) return fail(services, participant.id, 'No linked iCloud calendar to write to.')
  if (!calendar.writable) return fail(services, participant.id, 'The linked iCloud calendar is read-only.')
  const event = eventForAppointment(participant)
  if (participant.remoteHref) return updateCopy(services, client, participant, participant.remoteHref, event)

  const href = resourceHref(calendar.path, appointment.icalUid)
  const created = await createRemote(client, href, event)
  if (created === 'CONFLICT')
    return fail(services, participant.id, `Another event already exists at ${href} in iCloud.`)
  await finish(services, participant, { remoteCalendarId: calendar.id, remoteHref: href, remoteEtag: created.etag })
  return 'SYNCED'
}

/** A copy written before: deleted in iCloud, edited there (the conflict rule), or overwritten with the CRM version. */
async function updateCopy(
  services: Services,
  client: CalDavClient,
  participant: ParticipantWithAppointment,
  href: string,
  event: AppointmentEventInput,
): Promise<PushOutcome> {
  const current = await client.getObject(href)
  if (!current) return markRemoved(services, participant)
  // (With no ETag on record we cannot tell an iCloud edit from our own write: the CRM version is written.)
  if (current.etag && participant.remoteEtag !== null && current.etag !== participant.remoteEtag) {
    // Edited in iCloud since our last write: the conflict rule (twoWay.ts) applies before anything is pushed.
    if (await adoptICloudEdit(services, participant, href, current)) return 'SYNCED'
  }
  try {
    const written = await client.putObject(href, updateAppointmentEvent(current.data, event), {
      ifMatch: current.etag ?? participant.remoteEtag ?? '*',
    })
    const etag = written.etag ?? (await client.getObject(href))?.etag ?? null
    await finish(services, participant, { remoteHref: href, remoteEtag: etag })
    return 'SYNCED'
  } catch (error) {
    // 412: edited in iCloud between our read and our write; the next attempt reads it and applies the rule.
    if (error instanceof CalDavPreconditionFailedError)
      return retry(services, participant, 'edited in iCloud meanwhile', 0)
    throw error
  }
}

/** Deleted in iCloud: the CRM keeps the appointment and never re-creates the event behind the user's back. */
async function markRemoved(services: Services, participant: ParticipantWithAppointment): Promise<PushOutcome> {
  const removal = await services.prisma.$transaction((tx) => markRemovedInICloud(tx, participant))
  if (removal) {
    publishAppointmentChanged(services, { ...removal, kind: 'REMOVED_IN_ICLOUD' })
    kickWebhooks(services)
  }
  return 'REMOVED_IN_ICLOUD'
}

/** The iCloud edit applied to the appointment (twoWay.ts); true when it changed it, so that nothing is pushed. */
async function adoptICloudEdit(
  services: Services,
  participant: ParticipantWithAppointment,
  href: string,
  current: { etag: string | null; data: string },
): Promise<boolean> {
  const result = await services.prisma.$transaction((tx) =>
    applyICloudEdit(tx, {
      appointmentId: participant.appointment.id,
      userId: participant.userId,
      href,
      etag: current.etag,
      data: current.data,
    }),
  )
  if (!result?.changed) return false
  await notifyBusyTimeChanged(services, result.userIds, changedRange(result), 'appointment edited in iCloud')
  publishAppointmentChanged(services, { ...result, kind: 'UPDATED_IN_ICLOUD' })
  kickWebhooks(services)
  return true
}

async function outcomeOfError(services: Services, participant: ParticipantRef, error: unknown): Promise<PushOutcome> {
  if (error instanceof CalDavForbiddenError) {
    return fail(services, participant.id, 'The linked iCloud calendar is read-only.')
  }
  if (error instanceof CalDavAuthError) {
    return retry(services, participant, 'iCloud refused the app-specific password.')
  }
  // Data we cannot turn into iCalendar (unknown zone, unreadable resource) will not get better by retrying.
  if (error instanceof RangeError || error instanceof ICalParseError) {
    return fail(services, participant.id, `Could not write the event: ${error.message}`)
  }
  const retryAfter = error instanceof CalDavRateLimitedError ? error.retryAfterMs : undefined
  const message = error instanceof Error ? error.message : String(error)
  return retry(services, participant, message, undefined, retryAfter)
}

function changedRange(result: { before: { start: Date; end: Date }; after: { start: Date; end: Date } }) {
  return {
    from: new Date(Math.min(result.before.start.getTime(), result.after.start.getTime())),
    to: new Date(Math.max(result.before.end.getTime(), result.after.end.getTime())),
  }
}

async function createRemote(
  client: CalDavClient,
  href: string,
  event: AppointmentEventInput,
): Promise<{ etag: string | null } | 'CONFLICT'> {
  try {
    const { etag } = await client.putObject(href, buildAppointmentEvent(event), { ifNoneMatch: '*' })
    return { etag: etag ?? (await client.getObject(href))?.etag ?? null }
  } catch (error) {
    if (!(error instanceof CalDavPreconditionFailedError)) throw error
    // The resource exists: an earlier attempt wrote it and crashed before recording it. Adopt it if it is ours.
    const existing = await client.getObject(href)
    if (!existing || readAppointmentEvent(existing.data, 'UTC')?.crmAppointmentId !== event.crmAppointmentId) {
      return 'CONFLICT'
    }
    const { etag } = await client.putObject(href, updateAppointmentEvent(existing.data, event), {
      ifMatch: existing.etag ?? '*',
    })
    return { etag: etag ?? (await client.getObject(href))?.etag ?? null }
  }
}

/** A cancelled copy we may have written without recording it (a crash right after the PUT). */
async function deleteIfOurs(client: CalDavClient, href: string, appointmentId: string): Promise<void> {
  const existing = await client.getObject(href)
  if (!existing) return
  let ours = false
  try {
    ours = readAppointmentEvent(existing.data, 'UTC')?.crmAppointmentId === appointmentId
  } catch {
    ours = false
  }
  if (ours) await deleteRemote(client, href, existing.etag)
}

async function deleteRemote(client: CalDavClient, href: string, etag: string | null): Promise<void> {
  try {
    await client.deleteObject(href, etag ?? undefined)
  } catch (error) {
    // Edited in iCloud meanwhile: the CRM cancellation still wins.
    if (!(error instanceof CalDavPreconditionFailedError)) throw error
    await client.deleteObject(href)
  }
}

type ParticipantRef = { id: string; appointmentId: string; attempts: number }

/** Records a successful write; stays PENDING when the appointment changed again while we were writing. */
async function finish(
  services: Services,
  participant: ParticipantRef & { appointment: { sequence: number } },
  remote: { remoteCalendarId?: string; remoteHref: string | null; remoteEtag: string | null },
): Promise<void> {
  const pushed = participant.appointment.sequence
  await services.prisma.$transaction(async (tx) => {
    const { sequence } = await tx.appointment.findUniqueOrThrow({
      where: { id: participant.appointmentId },
      select: { sequence: true },
    })
    await tx.appointmentParticipant.update({
      where: { id: participant.id },
      data: {
        ...remote,
        pushedSequence: pushed,
        writeBackState: sequence > pushed ? 'PENDING' : 'SYNCED',
        writeBackError: null,
        attempts: 0,
        nextAttemptAt: null,
        leaseOwner: null,
        leaseUntil: null,
      },
    })
  })
}

async function retry(
  services: Services,
  participant: ParticipantRef,
  message: string,
  delayMs?: number,
  retryAfterMs?: number,
): Promise<PushOutcome> {
  const attempts = participant.attempts + 1
  if (attempts >= MAX_WRITE_ATTEMPTS) return fail(services, participant.id, message)
  await services.prisma.appointmentParticipant.update({
    where: { id: participant.id },
    data: {
      attempts,
      writeBackError: message,
      nextAttemptAt: new Date(Date.now() + (delayMs ?? backoffMs(attempts, retryAfterMs))),
      leaseOwner: null,
      leaseUntil: null,
    },
  })
  return 'RETRY'
}

/** Tries again later without counting an attempt (the integration must be reconnected first). */
async function postpone(services: Services, participantId: string, message: string): Promise<void> {
  await services.prisma.appointmentParticipant.update({
    where: { id: participantId },
    data: {
      writeBackError: message,
      nextAttemptAt: new Date(Date.now() + 15 * 60_000),
      leaseOwner: null,
      leaseUntil: null,
    },
  })
}

/** An unexpected error outside the CalDAV exchange (e.g. the database): counted like any failed attempt. */
export async function scheduleRetry(services: Services, participantId: string, message: string): Promise<void> {
  const participant = await services.prisma.appointmentParticipant.findUnique({
    where: { id: participantId },
    select: { id: true, appointmentId: true, attempts: true, writeBackState: true },
  })
  if (participant?.writeBackState === 'PENDING') await retry(services, participant, message)
}

async function fail(services: Services, participantId: string, message: string): Promise<PushOutcome> {
  await services.prisma.appointmentParticipant.update({
    where: { id: participantId },
    data: { writeBackState: 'FAILED', writeBackError: message, leaseOwner: null, leaseUntil: null },
  })
  return 'FAILED'
}
