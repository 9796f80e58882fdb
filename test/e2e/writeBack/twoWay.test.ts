// Two-way sync of the CRM's own events: an edit made on the server (iCloud) flows back into the appointment and to a
// live availability subscriber, without being pushed back; conflicting edits follow "iCloud wins, the CRM version is
// kept in the history"; a deletion on the server keeps the appointment (REMOVED_IN_ICLOUD) and is never undone.
import { describe, expect, it } from 'vitest'
import { syncIntegration } from '../../../src/sync/index.ts'
import { processWriteBackQueue } from '../../../src/writeBack/outbox.ts'
import type { SyncServer } from '../../support/integrationFixtures.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, localTimes, RescheduleAppointment, slotsOn, upcomingMonday } from '../scheduling/support.ts'
import { bookOrThrow, oneDay } from '../scheduling/flows.ts'
import { WriteBackAppointment, WriteBackAvailabilityChanged } from './documents.ts'
import {
  bookWrittenToICloud,
  drainOutbox,
  editedInICloud,
  fetchResource,
  fileOf,
  listResources,
  participantOf,
  serverKinds,
  linkedMember,
  useSyncServer,
  utc,
} from './support.ts'

let t: TestApp
useTestApp((app) => (t = app))

describe.each(serverKinds)('two-way sync on $name', (kind) => {
  let server: SyncServer
  useSyncServer(kind, (started) => (server = started))

  it('applies an edit made on the server, tells availability subscribers, and does not push it back', async () => {
    const m = await linkedMember(t, server)
    const { f, login, userId, calendarUrl, integrationId } = m
    const monday = upcomingMonday()
    const { appointment, appointmentId, remoteHref, original } = await bookWrittenToICloud(t, m, at(monday, 10))

    const live = t.client(f.admin.token).subscriptions().subscribe(WriteBackAvailabilityChanged, oneDay(f, monday))
    const initial = (await live.next()).data!.availabilityChanged
    expect(localTimes(initial.slots)).not.toContain('10:00')

    await login.put(
      calendarUrl,
      fileOf(remoteHref),
      editedInICloud(original.data, utc(at(monday, 14)), utc(at(monday, 15)), 'Moved in iCloud', 'Room 4'),
    )
    expect((await syncIntegration(t.services, integrationId, 'MANUAL'))?.outcome).toBe('SUCCESS')

    const pushed = await live.nextMatching((d) => !localTimes(d.availabilityChanged.slots).includes('14:00'))
    expect(localTimes(pushed.availabilityChanged.slots)).toContain('10:00')
    live.close()

    const view = (await f.adminClient.data(WriteBackAppointment, { id: appointment.id })).node
    if (!view || !('start' in view)) throw new Error('no appointment')
    expect(view).toMatchObject({
      start: new Date(at(monday, 14)).toISOString(),
      end: new Date(at(monday, 15)).toISOString(),
      title: 'Moved in iCloud',
      writeBackState: 'SYNCED',
    })
    expect((await t.services.prisma.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).location).toBe(
      'Room 4',
    )
    const edit = view.history.find((h) => h.source === 'ICLOUD')!
    expect(edit.kind).toBe('EDITED_IN_ICLOUD')
    expect(JSON.parse(edit.change).replaced.start).toBe(new Date(at(monday, 10)).toISOString())

    // No ping-pong: nothing is queued, the resource keeps the user's edit and its ETag, and so on the next sync.
    const p = await participantOf(t, appointmentId, userId)
    expect(p.writeBackState).toBe('SYNCED')
    expect((await processWriteBackQueue(t.services)).claimed).toBe(0)
    const now = (await fetchResource(login, calendarUrl, remoteHref))!
    expect(now.etag).toBe(p.remoteEtag)
    expect(now.data).toContain('X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC')
    await syncIntegration(t.services, integrationId, 'MANUAL')
    expect(await t.services.prisma.appointmentHistory.count({ where: { appointmentId, source: 'ICLOUD' } })).toBe(1)
    expect(await t.services.prisma.blockedSlot.count({ where: { userId, source: 'ICLOUD' } })).toBe(0)
  })

  it('resolves conflicting edits: the iCloud edit wins and the CRM version is kept in the history', async () => {
    const m = await linkedMember(t, server)
    const { f, login, userId, calendarUrl } = m
    const monday = upcomingMonday()
    const booked = await bookWrittenToICloud(t, m, at(monday, 9), { seenBySync: false })
    const { appointmentId, remoteHref, original } = booked

    // Both sides change before either is synced: the user moves it in iCloud, the CRM reschedules it.
    await login.put(
      calendarUrl,
      fileOf(remoteHref),
      editedInICloud(original.data, utc(at(monday, 14)), utc(at(monday, 15)), 'Edited in iCloud', 'Cafe'),
    )
    // Another process is syncing this integration, so the reschedule's own iCloud re-check is skipped and the CRM
    // cannot see the edit before it writes.
    await t.services.prisma.integration.update({
      where: { id: m.integrationId },
      data: { leaseOwner: 'another-process', leaseUntil: new Date(Date.now() + 60_000) },
    })
    const moved = await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: booked.appointment.id, start: at(monday, 11) },
    })
    expect(moved.rescheduleAppointment.__typename).toBe('RescheduleAppointmentSuccess')
    await drainOutbox(t)

    const appointment = await t.services.prisma.appointment.findUniqueOrThrow({ where: { id: appointmentId } })
    expect(appointment.start.toISOString()).toBe(new Date(at(monday, 14)).toISOString())
    expect(appointment.title).toBe('Edited in iCloud')
    const conflict = await t.services.prisma.appointmentHistory.findFirstOrThrow({
      where: { appointmentId, source: 'ICLOUD' },
    })
    const change = conflict.change as { kind: string; replaced: { start: string } }
    expect(change.kind).toBe('CONFLICT_ICLOUD_WINS')
    expect(change.replaced.start).toBe(new Date(at(monday, 11)).toISOString())
    // The user's edit stays in iCloud untouched.
    const after = (await fetchResource(login, calendarUrl, remoteHref))!
    expect(after.data).toContain('SUMMARY:Edited in iCloud')
    expect((await participantOf(t, appointmentId, userId)).writeBackState).toBe('SYNCED')
  })

  it('keeps an appointment deleted on the server, marks it, and never re-creates it', async () => {
    const m = await linkedMember(t, server)
    const { f, login, userId, calendarUrl, integrationId } = m
    const monday = upcomingMonday()
    const { appointment, appointmentId, remoteHref } = await bookWrittenToICloud(t, m, at(monday, 12))

    await login.remove(calendarUrl, fileOf(remoteHref))
    await syncIntegration(t.services, integrationId, 'MANUAL')
    const view = (await f.adminClient.data(WriteBackAppointment, { id: appointment.id })).node
    if (!view || !('start' in view)) throw new Error('no appointment')
    expect(view).toMatchObject({ status: 'BOOKED', writeBackState: 'REMOVED_IN_ICLOUD' })
    expect(localTimes((await slotsOn(f, monday)).slots)).not.toContain('12:00') // still blocks its time

    // A later CRM change does not bring it back behind the user's back.
    const moved = await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: appointment.id, start: at(monday, 13) },
    })
    expect(moved.rescheduleAppointment.__typename).toBe('RescheduleAppointmentSuccess')
    await drainOutbox(t)
    expect(await listResources(login, calendarUrl)).toHaveLength(0)
    expect((await participantOf(t, appointmentId, userId)).writeBackState).toBe('REMOVED_IN_ICLOUD')
  })

  it('notices a deletion on the server when it next writes, instead of re-creating the event', async () => {
    const { f, login, userId, calendarUrl } = await linkedMember(t, server)
    const monday = upcomingMonday()
    const { appointment, appointmentId } = await bookOrThrow(f, at(monday, 16))
    await drainOutbox(t)
    const { remoteHref } = await participantOf(t, appointmentId, userId)
    await login.remove(calendarUrl, fileOf(remoteHref!))
    // Rescheduled before any sync saw the deletion: the outbox finds the event gone.
    await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: appointment.id, start: at(monday, 15) },
    })
    await drainOutbox(t)
    expect((await participantOf(t, appointmentId, userId)).writeBackState).toBe('REMOVED_IN_ICLOUD')
    expect(await listResources(login, calendarUrl)).toHaveLength(0)
  })
})
