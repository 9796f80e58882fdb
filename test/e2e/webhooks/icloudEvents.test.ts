// Events that start in iCloud: an edit made on the CalDAV server to a CRM appointment's event → exactly one
// `appointment.updated_in_icloud` with the fields before and after (however often it is synced); a deletion →
// exactly one `appointment.removed_in_icloud`. Integration status transitions on the iCloud-faithful server:
// connected, needs_reauth (password revoked), connected again (reconnect), disconnected.
import { describe, expect, it } from 'vitest'
import { configureCalendars } from '../../../src/integrations/icloud/configureCalendars.ts'
import { connectICloud } from '../../../src/integrations/icloud/connect.ts'
import { disconnectICloud } from '../../../src/integrations/icloud/disconnect.ts'
import { reconnectICloud } from '../../../src/integrations/icloud/reconnect.ts'
import { syncIntegration } from '../../../src/sync/index.ts'
import type { SyncServer } from '../../support/integrationFixtures.ts'
import { useStarted } from '../../support/lifecycle.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, setUpCalendar, upcomingMonday, userGid } from '../scheduling/support.ts'
import {
  bookWrittenToICloud,
  drainOutbox,
  editedInICloud,
  fileOf,
  linkedMember,
  newLogin,
  serverKinds,
  useSyncServer,
  utc,
} from '../writeBack/support.ts'
import { drainWebhooks, registerEndpoint, startReceiver, verify, type Receiver } from './support.ts'

let t: TestApp
let receiver: Receiver
useStarted(startReceiver, (started) => (receiver = started))
useTestApp((app) => (t = app), { WEBHOOK_ALLOW_PRIVATE: 'true' })

const ofType = (type: string) => receiver.received.filter((w) => w.json.type === type)

describe.each(serverKinds.filter((k) => k.name !== 'Xandikos'))('appointment events from $name', (kind) => {
  let server: SyncServer
  useSyncServer(kind, (started) => (server = started))

  it('reports an edit made in iCloud once, with before and after, and a deletion once', async () => {
    const m = await linkedMember(t, server)
    const { f, login, userId, calendarUrl, integrationId } = m
    const { secret } = await registerEndpoint(f.adminClient, receiver.url, [
      'APPOINTMENT_UPDATED_IN_ICLOUD',
      'APPOINTMENT_REMOVED_IN_ICLOUD',
    ])
    receiver.received.length = 0
    const monday = upcomingMonday()
    const { appointment, remoteHref, original } = await bookWrittenToICloud(t, m, at(monday, 10))

    await login.put(
      calendarUrl,
      fileOf(remoteHref),
      editedInICloud(original.data, utc(at(monday, 14)), utc(at(monday, 15)), 'Moved in iCloud', 'Room 4'),
    )
    for (let i = 0; i < 3; i++) {
      expect((await syncIntegration(t.services, integrationId, 'MANUAL'))?.outcome).toBe('SUCCESS')
      await drainOutbox(t)
    }
    await drainWebhooks(t)
    await receiver.waitFor(1)
    expect(ofType('appointment.updated_in_icloud')).toHaveLength(1)
    const [updated] = ofType('appointment.updated_in_icloud')
    expect(verify(secret, updated!)).toEqual(updated!.json)
    expect(updated!.json.data).toMatchObject({
      appointment: { id: appointment.id, start: new Date(at(monday, 14)).toISOString(), location: 'Room 4' },
      before: { start: new Date(at(monday, 10)).toISOString(), end: new Date(at(monday, 11)).toISOString() },
      after: {
        start: new Date(at(monday, 14)).toISOString(),
        end: new Date(at(monday, 15)).toISOString(),
        title: 'Moved in iCloud',
        location: 'Room 4',
      },
      iCloudUserId: userGid(userId),
    })

    await login.remove(calendarUrl, fileOf(remoteHref))
    for (let i = 0; i < 2; i++) {
      await syncIntegration(t.services, integrationId, 'MANUAL')
      await drainOutbox(t)
    }
    await drainWebhooks(t)
    await receiver.waitFor(2)
    expect(ofType('appointment.removed_in_icloud')).toHaveLength(1)
    expect(ofType('appointment.removed_in_icloud')[0]!.json.data).toMatchObject({
      appointment: { id: appointment.id, status: 'BOOKED' },
      iCloudUserId: userGid(userId),
    })
    expect(ofType('appointment.updated_in_icloud')).toHaveLength(1)
  })
})

describe('integration events on the iCloud test server', () => {
  let server: SyncServer
  useSyncServer(serverKinds[2], (started) => (server = started))

  it('reports connected, needs_reauth, connected again and disconnected, each once', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const user = f.members[0]!.user
    await registerEndpoint(f.adminClient, receiver.url, [
      'INTEGRATION_CONNECTED',
      'INTEGRATION_NEEDS_REAUTH',
      'INTEGRATION_ERROR',
      'INTEGRATION_DISCONNECTED',
    ])
    receiver.received.length = 0
    const login = await newLogin(server)
    await login.makeCalendar('work')
    // This app's configured iCloud URL is not the test server's.
    const services = { ...t.services, config: { ...t.services.config, icloudCaldavUrl: server.serverUrl } }
    const integration = await connectICloud(services, {
      userId: user.id,
      subaccountId: f.subaccountId,
      appleId: login.username,
      appSpecificPassword: login.password,
    })
    const calendar = await t.services.prisma.calendar.findFirst({
      where: { integrationId: integration.id, path: { endsWith: '/work/' } },
    })
    await configureCalendars(t.services, integration, { linkedCalendarId: calendar!.id, conflictCalendarIds: [] })
    expect((await syncIntegration(t.services, integration.id, 'MANUAL'))?.outcome).toBe('SUCCESS')
    login.icloudAccount!.revokePassword()
    expect((await syncIntegration(t.services, integration.id, 'MANUAL'))?.outcome).toBe('AUTH_FAILED')
    login.icloudAccount!.setAppSpecificPassword('news-ecre-tpas-swrd')
    const current = await t.services.prisma.integration.findUniqueOrThrow({ where: { id: integration.id } })
    await reconnectICloud(services, current, 'news-ecre-tpas-swrd')
    expect((await syncIntegration(t.services, integration.id, 'MANUAL'))?.outcome).toBe('SUCCESS')
    await disconnectICloud(t.services, current)

    await drainWebhooks(t)
    await receiver.waitFor(4)
    // Deliveries run concurrently (no order is promised); the body's timestamp orders them.
    const inOrder = [...receiver.received].sort((a, b) => a.json.timestamp.localeCompare(b.json.timestamp))
    expect(inOrder.map((w) => [w.json.type, w.json.data.integration])).toEqual([
      ['integration.connected', expect.objectContaining({ status: 'CONNECTED', previousStatus: null })],
      ['integration.needs_reauth', expect.objectContaining({ status: 'NEEDS_REAUTH', previousStatus: 'CONNECTED' })],
      ['integration.connected', expect.objectContaining({ status: 'CONNECTED', previousStatus: 'NEEDS_REAUTH' })],
      [
        'integration.disconnected',
        expect.objectContaining({ status: 'DISCONNECTED', previousStatus: 'CONNECTED', appleId: login.username }),
      ],
    ])
  })
})
