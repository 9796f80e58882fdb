// The outbox against each CalDAV server: a booking creates `<uid>.ics` on the linked calendar (If-None-Match: *), a
// reschedule updates it in place (If-Match), a cancellation removes it; the CRM's own event coming back through the
// sync never becomes a blocked slot; a write whose answer was lost is adopted, never duplicated.
import { describe, expect, it } from 'vitest'
import { reconnectICloud } from '../../../src/integrations/icloud/reconnect.ts'
import { syncIntegration } from '../../../src/sync/index.ts'
import { processWriteBackQueue } from '../../../src/writeBack/outbox.ts'
import type { SyncServer } from '../../support/integrationFixtures.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import {
  at,
  CancelAppointment,
  RescheduleAppointment,
  slotsOn,
  localTimes,
  upcomingMonday,
} from '../scheduling/support.ts'
import { bookOrThrow } from '../scheduling/flows.ts'
import { WriteBackAppointment } from './documents.ts'
import {
  drainOutbox,
  fetchResource,
  listResources,
  participantOf,
  serverKinds,
  linkedMember,
  useSyncServer,
} from './support.ts'

const unfold = (ics: string) => ics.replace(/\r?\n[ \t]/g, '')
/** Property lines of the VEVENT (not of the VTIMEZONE). */
const line = (ics: string, name: string) =>
  /BEGIN:VEVENT[\s\S]*END:VEVENT/
    .exec(unfold(ics))![0]
    .split(/\r?\n/)
    .filter((l) => l.startsWith(name))

let t: TestApp
useTestApp((app) => (t = app))

describe.each(serverKinds)('write-back on $name', (kind) => {
  let server: SyncServer
  useSyncServer(kind, (started) => (server = started))

  it('creates, reschedules and cancels the iCloud event, which never blocks its own time', async () => {
    const { f, login, userId, calendarUrl, integrationId } = await linkedMember(t, server)
    const monday = upcomingMonday()
    const { appointment, appointmentId } = await bookOrThrow(f, at(monday, 10))
    expect((await participantOf(t, appointmentId, userId)).writeBackState).toBe('PENDING')

    await drainOutbox(t)
    const written = await participantOf(t, appointmentId, userId)
    expect(written.writeBackState).toBe('SYNCED')
    const uid = appointment.icalUid
    expect(decodeURIComponent(written.remoteHref!)).toBe(
      `${decodeURIComponent(new URL(calendarUrl).pathname)}${uid}.ics`,
    )
    const resource = (await fetchResource(login, calendarUrl, written.remoteHref!))!
    expect(written.remoteEtag).toBe(resource.etag)
    const ics = resource.data
    expect(line(ics, 'UID:')).toEqual([`UID:${uid}`])
    expect(line(ics, 'DTSTART')).toEqual([`DTSTART;TZID=Europe/Berlin:${monday.toFormat('yyyyMMdd')}T100000`])
    expect(line(ics, 'DTEND')).toEqual([`DTEND;TZID=Europe/Berlin:${monday.toFormat('yyyyMMdd')}T110000`])
    expect(unfold(ics)).toMatch(/BEGIN:VTIMEZONE\r?\nTZID:Europe\/Berlin/)
    const people = [...line(ics, 'ORGANIZER'), ...line(ics, 'ATTENDEE')]
    expect(people.length).toBeGreaterThanOrEqual(2)
    for (const p of people) expect(p).toMatch(/SCHEDULE-AGENT=CLIENT/)
    expect(line(ics, 'ATTENDEE').join('\n')).toContain('mailto:ada@example.com')
    expect(line(ics, 'X-CRM-SOURCE:')).toEqual(['X-CRM-SOURCE:icloud-scheduling-api'])
    expect(line(ics, 'X-CRM-APPOINTMENT-ID:')).toEqual([`X-CRM-APPOINTMENT-ID:${appointmentId}`])
    expect(unfold(ics)).toContain('+44 20 7946 0000')

    // Back through the sync (the linked calendar is a conflict calendar): no blocked slot double-blocks the time.
    expect((await syncIntegration(t.services, integrationId, 'MANUAL'))?.outcome).toBe('SUCCESS')
    expect(await t.services.prisma.blockedSlot.count({ where: { userId, source: 'ICLOUD' } })).toBe(0)
    expect(await t.services.prisma.calendarObject.count({ where: { uid } })).toBe(1)
    expect(localTimes((await slotsOn(f, monday)).slots)).not.toContain('10:00')

    // Rescheduling by half an hour overlaps the old time: possible only because nothing else blocks it.
    const moved = await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: appointment.id, start: at(monday, 10, 30) },
    })
    expect(moved.rescheduleAppointment.__typename).toBe('RescheduleAppointmentSuccess')
    await drainOutbox(t)
    const updated = await participantOf(t, appointmentId, userId)
    expect(updated).toMatchObject({ writeBackState: 'SYNCED', remoteHref: written.remoteHref, pushedSequence: 1 })
    const after = (await fetchResource(login, calendarUrl, written.remoteHref!))!
    expect(line(after.data, 'DTSTART')).toEqual([`DTSTART;TZID=Europe/Berlin:${monday.toFormat('yyyyMMdd')}T103000`])
    expect(line(after.data, 'SEQUENCE:')).toEqual(['SEQUENCE:1'])
    expect(updated.remoteEtag).toBe(after.etag)
    expect(await listResources(login, calendarUrl)).toHaveLength(1)

    // Our own write seen by the sync changes nothing and pushes nothing back.
    await syncIntegration(t.services, integrationId, 'MANUAL')
    const seen = await t.services.prisma.appointment.findUniqueOrThrow({ where: { id: appointmentId } })
    expect(seen.sequence).toBe(1)
    expect((await processWriteBackQueue(t.services)).claimed).toBe(0)

    const cancelled = await f.adminClient.data(CancelAppointment, { input: { appointmentId: appointment.id } })
    expect(cancelled.cancelAppointment.__typename).toBe('CancelAppointmentSuccess')
    await drainOutbox(t)
    expect(await fetchResource(login, calendarUrl, written.remoteHref!)).toBeNull()
    await syncIntegration(t.services, integrationId, 'MANUAL')
    const gone = await participantOf(t, appointmentId, userId)
    expect(gone).toMatchObject({ writeBackState: 'SYNCED', remoteHref: null, active: false })
    const view = await f.adminClient.data(WriteBackAppointment, { id: appointment.id })
    expect(view.node).toMatchObject({ status: 'CANCELLED', writeBackState: 'SYNCED' })
  })

  it('adopts its own event after a write whose answer was lost, and never writes it twice', async () => {
    const { f, login, userId, calendarUrl } = await linkedMember(t, server)
    const { appointmentId } = await bookOrThrow(f, at(upcomingMonday(), 13))
    await drainOutbox(t)
    // The database as a crash right after the PUT leaves it: nothing recorded, still PENDING.
    await t.services.prisma.appointmentParticipant.updateMany({
      where: { appointmentId },
      data: { writeBackState: 'PENDING', remoteHref: null, remoteEtag: null, pushedSequence: null },
    })
    await drainOutbox(t)
    const p = await participantOf(t, appointmentId, userId)
    expect(p.writeBackState).toBe('SYNCED')
    expect(await listResources(login, calendarUrl)).toHaveLength(1)
    expect(p.remoteEtag).toBe((await fetchResource(login, calendarUrl, p.remoteHref!))!.etag)
  })
})

describe('write-back on the iCloud test server', () => {
  let server: SyncServer
  useSyncServer(serverKinds[2], (started) => (server = started))

  it('retries with back-off when iCloud drops the connection or omits the ETag, with one resource in the end', async () => {
    const { f, login, userId, calendarUrl } = await linkedMember(t, server)
    const icloud = server.icloud!
    const { appointmentId } = await bookOrThrow(f, at(upcomingMonday(), 15))
    icloud.quirks.dropConnections = true
    const before = Date.now()
    await processWriteBackQueue(t.services)
    const failed = await participantOf(t, appointmentId, userId)
    expect(failed).toMatchObject({ writeBackState: 'PENDING', attempts: 1 })
    expect(failed.writeBackError).toBeTruthy()
    expect(failed.nextAttemptAt!.getTime()).toBeGreaterThan(before + 2_000)
    expect((await processWriteBackQueue(t.services)).claimed).toBe(0) // not due yet

    icloud.resetQuirks()
    icloud.quirks.omitEtagOnPut = true
    await t.services.prisma.appointmentParticipant.updateMany({
      where: { appointmentId },
      data: { nextAttemptAt: null },
    })
    await drainOutbox(t)
    const p = await participantOf(t, appointmentId, userId)
    expect(p).toMatchObject({ writeBackState: 'SYNCED', attempts: 0, writeBackError: null })
    expect(p.remoteEtag).toBe((await fetchResource(login, calendarUrl, p.remoteHref!))!.etag)
    expect(await listResources(login, calendarUrl)).toHaveLength(1)
    icloud.resetQuirks()
  })

  it('writes what waited for a new password, and what had failed, as soon as the user reconnects', async () => {
    const { f, login, userId, calendarUrl, integrationId } = await linkedMember(t, server)
    const account = login.icloudAccount!
    const monday = upcomingMonday()
    const { appointmentId: waiting } = await bookOrThrow(f, at(monday, 14))
    const { appointmentId: failed } = await bookOrThrow(f, at(monday, 15))
    // The second copy gave up earlier (eight failed attempts); the first meets the revoked password now.
    await t.services.prisma.appointmentParticipant.updateMany({
      where: { appointmentId: failed },
      data: { writeBackState: 'FAILED', attempts: 8, writeBackError: 'server error' },
    })
    expect(await listResources(login, calendarUrl)).toHaveLength(0) // the outbox has not run yet
    account.revokePassword()
    // The next sync meets the 401 and asks the user to reconnect; the outbox then waits instead of retrying.
    expect((await syncIntegration(t.services, integrationId, 'MANUAL'))?.outcome).toBe('AUTH_FAILED')
    await processWriteBackQueue(t.services)
    const postponed = await participantOf(t, waiting, userId)
    expect(postponed.writeBackState).toBe('PENDING')
    expect(postponed.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 60_000)

    account.setAppSpecificPassword('news-ecre-tpas-swrd')
    const integration = await t.services.prisma.integration.findUniqueOrThrow({ where: { id: integrationId } })
    // This app's configured iCloud URL is not the test server's (the test fixture connected directly).
    const services = { ...t.services, config: { ...t.services.config, icloudCaldavUrl: server.serverUrl } }
    await reconnectICloud(services, integration, 'news-ecre-tpas-swrd')
    for (const id of [waiting, failed]) {
      const p = await participantOf(t, id, userId)
      expect(p).toMatchObject({ writeBackState: 'PENDING', attempts: 0 })
      expect(p.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now())
    }
    await drainOutbox(t)
    for (const id of [waiting, failed]) {
      expect(await participantOf(t, id, userId)).toMatchObject({ writeBackState: 'SYNCED', writeBackError: null })
    }
    const withNewPassword = { ...login, auth: { username: login.username, password: 'news-ecre-tpas-swrd' } }
    expect(await listResources(withNewPassword, calendarUrl)).toHaveLength(2)
  })
})
