// reconnectICloud (new password after a revocation, configuration kept) and disconnectICloud (credentials and remote
// data gone, CRM appointments kept, Apple ID free again).
import { decodeGlobalID } from '@pothos/plugin-relay'
import { describe, expect, it } from 'vitest'
import type { ICloudTestServer } from '../../support/caldav/icloud/index.ts'
import { createTeam } from '../../support/factories.ts'
import type { TestApp } from '../../support/testApp.ts'
import { BlockedSlotsChanged } from '../blockedSlotDocuments.ts'
import {
  byName,
  ConfigureICloudCalendars,
  ConnectICloud,
  DisconnectICloud,
  IntegrationById,
  ReconnectICloud,
  ViewerIntegrations,
} from './documents.ts'
import { useICloudApp } from './icloudApp.ts'

let server: ICloudTestServer
let t: TestApp
useICloudApp((started) => ({ server, t } = started))
let accounts = 0

async function connectedAndConfigured() {
  accounts++
  const appleId = `reconnect${accounts}@icloud.com`
  const appSpecificPassword = 'firs-tpas-swor-dabc'
  const account = await server.addAccount({ appleId, appSpecificPassword })
  await account.addCalendar('work', { displayName: 'Work' })
  await account.addCalendar('boss', { displayName: 'Boss', readOnlyShared: true })
  const team = await createTeam(t.services)
  const connected = await t.client(team.user.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })
  if (connected.connectICloud.__typename !== 'ConnectICloudSuccess') throw new Error(JSON.stringify(connected))
  const integration = connected.connectICloud.integration
  const id = (name: string) => byName(integration.calendars, name).id
  const configured = await t.client(team.user.token).data(ConfigureICloudCalendars, {
    input: { integrationId: integration.id, linkedCalendarId: id('work'), conflictCalendarIds: [id('boss')] },
  })
  if (configured.configureICloudCalendars.__typename !== 'ConfigureICloudCalendarsSuccess') throw new Error('configure')
  return {
    team,
    account,
    appleId,
    appSpecificPassword,
    integration: configured.configureICloudCalendars.integration,
    id,
  }
}

const rowOf = (globalId: string) =>
  t.services.prisma.integration.findUniqueOrThrow({ where: { id: decodeGlobalID(globalId).id } })

describe('reconnectICloud', () => {
  it('stores a verified new password after a revocation and keeps the configuration', async () => {
    const { team, account, appleId, appSpecificPassword, integration } = await connectedAndConfigured()
    const dbId = decodeGlobalID(integration.id).id
    // What the sync engine does on a 401: the integration needs re-authentication.
    account.revokePassword()
    await t.services.prisma.integration.update({
      where: { id: dbId },
      data: {
        status: 'NEEDS_REAUTH',
        lastError: 'iCloud refused the password',
        nextSyncAt: new Date(Date.now() + 3_600_000),
      },
    })
    const before = await rowOf(integration.id)

    // The revoked password and a wrong one are refused and change nothing.
    for (const password of [appSpecificPassword, 'wron-gwro-ngwr-ongx']) {
      const refused = await t.client(team.user.token).data(ReconnectICloud, {
        input: { integrationId: integration.id, appSpecificPassword: password },
      })
      expect(refused.reconnectICloud).toMatchObject({ __typename: 'InvalidCredentialsError' })
    }
    expect(await rowOf(integration.id)).toEqual(before)

    account.setAppSpecificPassword('seco-ndpa-sswo-rdxy')
    const result = await t.client(team.user.token).data(ReconnectICloud, {
      input: { integrationId: integration.id, appSpecificPassword: 'SECO NDPA SSWO RDXY' },
    })
    expect(result.reconnectICloud.__typename).toBe('ReconnectICloudSuccess')
    if (result.reconnectICloud.__typename !== 'ReconnectICloudSuccess') return
    const reconnected = result.reconnectICloud.integration
    expect(reconnected).toMatchObject({ status: 'CONNECTED', lastError: null, appleId })
    expect(result.reconnectICloud).toMatchObject({ removedCalendars: [], linkedCalendarRemoved: false })
    expect(reconnected.linkedCalendar).toEqual(integration.linkedCalendar)
    expect(reconnected.conflictCalendars).toEqual(integration.conflictCalendars)
    expect(reconnected.calendars.map((c) => c.id).sort()).toEqual(integration.calendars.map((c) => c.id).sort())
    expect(Date.parse(reconnected.nextSyncAt)).toBeLessThanOrEqual(Date.now())
    const after = await rowOf(integration.id)
    expect(after.credentialCiphertext).not.toBe(before.credentialCiphertext)
    expect(t.services.cipher.decrypt(after.credentialCiphertext, after.appleId)).toBe('seco-ndpa-sswo-rdxy')
    expect(after.createdAt).toEqual(before.createdAt)
  })

  it('also rotates the password of a CONNECTED integration, and validates its shape', async () => {
    const { team, account, integration } = await connectedAndConfigured()
    const invalid = await t.client(team.user.token).data(ReconnectICloud, {
      input: { integrationId: integration.id, appSpecificPassword: 'my Apple password 1!' },
    })
    expect(invalid.reconnectICloud.__typename).toBe('ValidationError')
    account.setAppSpecificPassword('rota-tedp-assw-ordx')
    const result = await t.client(team.user.token).data(ReconnectICloud, {
      input: { integrationId: integration.id, appSpecificPassword: 'rota-tedp-assw-ordx' },
    })
    expect(result.reconnectICloud.__typename).toBe('ReconnectICloudSuccess')
  })

  it('is not available for another subaccount', async () => {
    const { integration } = await connectedAndConfigured()
    const other = await createTeam(t.services)
    const result = await t.client(other.admin.token).data(ReconnectICloud, {
      input: { integrationId: integration.id, appSpecificPassword: 'abcd-abcd-abcd-abcd' },
    })
    expect(result.reconnectICloud.__typename).toBe('NotFoundError')
  })
})

describe('disconnectICloud', () => {
  it('removes credentials and iCloud data, keeps CRM appointments, notifies, and frees the Apple ID', async () => {
    const { team, appleId, appSpecificPassword, integration, id } = await connectedAndConfigured()
    const user = team.user
    const workId = decodeGlobalID(id('work')).id
    const bossId = decodeGlobalID(id('boss')).id
    // What sync and booking would have written: an object, its blocked slot, an appointment on the linked calendar.
    const object = await t.services.prisma.calendarObject.create({
      data: { calendarId: bossId, href: `/x/boss/e.ics`, data: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' },
    })
    await t.services.prisma.blockedSlot.create({
      data: {
        userId: user.id,
        subaccountId: user.subaccountId,
        calendarId: bossId,
        objectId: object.id,
        start: new Date('2030-01-01T10:00:00Z'),
        end: new Date('2030-01-01T11:00:00Z'),
        source: 'ICLOUD',
      },
    })
    const crmCalendar = await t.services.prisma.crmCalendar.create({
      data: { subaccountId: user.subaccountId, name: 'Sales', type: 'SERVICE', timeZone: 'Europe/Berlin' },
    })
    const contact = await t.services.prisma.contact.create({
      data: { subaccountId: user.subaccountId, name: 'Client', email: `client-${accounts}@example.com` },
    })
    const appointment = await t.services.prisma.appointment.create({
      data: {
        subaccountId: user.subaccountId,
        calendarId: crmCalendar.id,
        assignedUserId: user.id,
        contactId: contact.id,
        start: new Date('2030-01-02T10:00:00Z'),
        end: new Date('2030-01-02T10:30:00Z'),
        title: 'Intro call',
        icalUid: `appt-${accounts}@test`,
        participants: {
          create: {
            userId: user.id,
            start: new Date('2030-01-02T10:00:00Z'),
            end: new Date('2030-01-02T10:30:00Z'),
            remoteCalendarId: workId,
            remoteHref: '/x/work/appt.ics',
            writeBackState: 'SYNCED',
          },
        },
      },
    })

    const subscriptions = t.client(user.token).subscriptions()
    const changes = subscriptions.subscribe(BlockedSlotsChanged, { userId: await userGlobalId(user.id) })
    await new Promise((resolve) => setTimeout(resolve, 300))

    const result = await t.client(user.token).data(DisconnectICloud, { input: { integrationId: integration.id } })
    expect(result.disconnectICloud).toEqual({
      __typename: 'DisconnectICloudSuccess',
      disconnectedIntegrationId: integration.id,
    })
    const change = await changes.nextMatching((data) => data.blockedSlotsChanged.userId !== '')
    expect(change.blockedSlotsChanged).toMatchObject({ from: null, to: null })
    changes.close()
    await subscriptions.close()

    const dbId = decodeGlobalID(integration.id).id
    expect(await t.services.prisma.integration.count({ where: { id: dbId } })).toBe(0)
    expect(await t.services.prisma.calendar.count({ where: { integrationId: dbId } })).toBe(0)
    expect(await t.services.prisma.calendarObject.count({ where: { id: object.id } })).toBe(0)
    expect(await t.services.prisma.blockedSlot.count({ where: { userId: user.id } })).toBe(0)
    const kept = await t.services.prisma.appointment.findUniqueOrThrow({
      where: { id: appointment.id },
      include: { participants: true },
    })
    expect(kept.status).toBe('BOOKED')
    expect(kept.participants[0]?.remoteCalendarId).toBeNull()
    expect((await t.client(user.token).data(ViewerIntegrations)).viewer.integrations).toEqual([])
    expect((await t.client(user.token).data(IntegrationById, { id: integration.id })).integration).toBeNull()

    // Disconnecting twice: it is gone.
    const again = await t.client(user.token).data(DisconnectICloud, { input: { integrationId: integration.id } })
    expect(again.disconnectICloud.__typename).toBe('NotFoundError')

    // The Apple ID is free for another subaccount now.
    const other = await createTeam(t.services)
    const reconnect = await t.client(other.user.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })
    expect(reconnect.connectICloud.__typename).toBe('ConnectICloudSuccess')
  })

  it('is refused for a colleague and another subaccount, allowed for the subaccount admin', async () => {
    const { team, integration } = await connectedAndConfigured()
    const other = await createTeam(t.services)
    for (const token of [other.admin.token]) {
      const refused = await t.client(token).data(DisconnectICloud, { input: { integrationId: integration.id } })
      expect(refused.disconnectICloud.__typename).toBe('NotFoundError')
    }
    const byAdmin = await t
      .client(team.admin.token)
      .data(DisconnectICloud, { input: { integrationId: integration.id } })
    expect(byAdmin.disconnectICloud.__typename).toBe('DisconnectICloudSuccess')
  })
})

async function userGlobalId(userId: string) {
  const { encodeGlobalID } = await import('@pothos/plugin-relay')
  return encodeGlobalID('User', userId)
}
