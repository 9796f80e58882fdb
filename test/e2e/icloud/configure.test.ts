// configureICloudCalendars and refreshCalendars against the iCloud-faithful test server.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { describe, expect, it } from 'vitest'
import type { ICloudTestServer } from '../../support/caldav/icloud/index.ts'
import { createTeam, createUser, type TestUser } from '../../support/factories.ts'
import type { TestApp } from '../../support/testApp.ts'
import { byName, ConfigureICloudCalendars, ConnectICloud, RefreshCalendars, ViewerIntegrations } from './documents.ts'
import { useICloudApp } from './icloudApp.ts'

let server: ICloudTestServer
let t: TestApp
useICloudApp((started) => ({ server, t } = started))
let accounts = 0

/** A user with a connected iCloud account holding Work, a read-only shared Boss calendar and the defaults. */
async function connected(user?: TestUser) {
  accounts++
  const appleId = `config${accounts}@icloud.com`
  const appSpecificPassword = 'conf-igur-eabc-defg'
  const account = await server.addAccount({ appleId, appSpecificPassword })
  await account.addCalendar('work', { displayName: 'Work' })
  await account.addCalendar('boss', { displayName: "Boss's calendar", readOnlyShared: true })
  const team = await createTeam(t.services)
  const owner = user ?? team.user
  const result = await t.client(owner.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })
  if (result.connectICloud.__typename !== 'ConnectICloudSuccess') throw new Error(JSON.stringify(result))
  const integration = result.connectICloud.integration
  const id = (name: string) => byName(integration.calendars, name).id
  return { team, owner, account, appleId, appSpecificPassword, integration, id }
}

const pushNextSyncIntoFuture = (globalId: string) =>
  t.services.prisma.integration.update({
    where: { id: decodeId(globalId) },
    data: { nextSyncAt: new Date(Date.now() + 3_600_000) },
  })
const decodeId = (globalId: string) => decodeGlobalID(globalId).id

describe('configureICloudCalendars', () => {
  it('sets one linked calendar (also a conflict calendar by default) and conflict calendars, read-only ones included', async () => {
    const { owner, integration, id } = await connected()
    await pushNextSyncIntoFuture(integration.id)
    const input = { integrationId: integration.id, linkedCalendarId: id('work'), conflictCalendarIds: [id('boss')] }
    const result = await t.client(owner.token).data(ConfigureICloudCalendars, { input })
    expect(result.configureICloudCalendars.__typename).toBe('ConfigureICloudCalendarsSuccess')
    if (result.configureICloudCalendars.__typename !== 'ConfigureICloudCalendarsSuccess') return
    const configured = result.configureICloudCalendars.integration
    expect(result.configureICloudCalendars.changed).toBe(true)
    expect(configured.linkedCalendar).toEqual({ alsoConflict: true, calendar: { id: id('work'), displayName: 'Work' } })
    expect(configured.conflictCalendars.map((c) => c.calendar.displayName).sort()).toEqual(["Boss's calendar", 'Work'])
    expect(byName(configured.calendars, 'work')).toMatchObject({ isLinked: true, isConflict: true })
    expect(byName(configured.calendars, 'boss')).toMatchObject({ isLinked: false, isConflict: true })
    // New conflict calendars are synced now: the sync engine picks up nextSyncAt <= now.
    expect(Date.parse(configured.nextSyncAt)).toBeLessThanOrEqual(Date.now())

    // Idempotent: the same input changes nothing, not even the sync schedule.
    await pushNextSyncIntoFuture(integration.id)
    const again = await t.client(owner.token).data(ConfigureICloudCalendars, { input })
    if (again.configureICloudCalendars.__typename !== 'ConfigureICloudCalendarsSuccess') throw new Error('refused')
    expect(again.configureICloudCalendars.changed).toBe(false)
    expect(again.configureICloudCalendars.integration.conflictCalendars).toEqual(configured.conflictCalendars)
    expect(Date.parse(again.configureICloudCalendars.integration.nextSyncAt)).toBeGreaterThan(Date.now() + 60_000)

    const viewer = await t.client(owner.token).data(ViewerIntegrations)
    expect(viewer.viewer.integrations[0]?.linkedCalendar?.calendar.id).toBe(id('work'))
  })

  it('lets the user opt the linked calendar out of blocking time, and removing a conflict calendar drops its slots', async () => {
    const { owner, integration, id } = await connected()
    const integrationId = decodeId(integration.id)
    const base = { integrationId: integration.id, linkedCalendarId: id('work') }
    await t
      .client(owner.token)
      .data(ConfigureICloudCalendars, { input: { ...base, conflictCalendarIds: [id('boss'), id('calendar')] } })
    // A slot the sync engine would have made from the Boss calendar.
    const bossId = decodeId(id('boss'))
    await t.services.prisma.blockedSlot.create({
      data: {
        userId: owner.id,
        subaccountId: owner.subaccountId,
        calendarId: bossId,
        start: new Date('2030-01-01T10:00:00Z'),
        end: new Date('2030-01-01T11:00:00Z'),
        source: 'ICLOUD',
      },
    })
    const result = await t.client(owner.token).data(ConfigureICloudCalendars, {
      input: { ...base, conflictCalendarIds: [id('calendar'), id('work')], linkedAlsoConflict: false },
    })
    if (result.configureICloudCalendars.__typename !== 'ConfigureICloudCalendarsSuccess') throw new Error('refused')
    const configured = result.configureICloudCalendars.integration
    expect(configured.linkedCalendar?.alsoConflict).toBe(false)
    expect(configured.conflictCalendars.map((c) => c.calendar.displayName)).toEqual(['Calendar'])
    expect(await t.services.prisma.blockedSlot.count({ where: { calendarId: bossId } })).toBe(0)
    expect(await t.services.prisma.conflictCalendar.count({ where: { integrationId } })).toBe(1)
  })

  it('refuses read-only as linked, and Reminders, inbox and subscribed calendars in any role, with typed errors', async () => {
    const { owner, integration, id } = await connected()
    const configure = (linked: string, conflicts: string[] = []) =>
      t.client(owner.token).data(ConfigureICloudCalendars, {
        input: { integrationId: integration.id, linkedCalendarId: linked, conflictCalendarIds: conflicts },
      })
    const readOnly = await configure(id('boss'))
    expect(readOnly.configureICloudCalendars).toMatchObject({
      __typename: 'CalendarNotWritableError',
      code: 'CALENDAR_NOT_WRITABLE',
    })
    if (readOnly.configureICloudCalendars.__typename !== 'CalendarNotWritableError') return
    expect(readOnly.configureICloudCalendars.message).toMatch(/Boss's calendar.*read-only/)

    expect((await configure(id('tasks'))).configureICloudCalendars).toMatchObject({
      __typename: 'NotAnEventCalendarError',
    })
    expect((await configure(id('work'), [id('tasks')])).configureICloudCalendars).toMatchObject({
      __typename: 'NotAnEventCalendarError',
      message: expect.stringMatching(/Reminders/),
    })
    expect((await configure(id('work'), [id('inbox')])).configureICloudCalendars.__typename).toBe(
      'NotAnEventCalendarError',
    )
    expect((await configure(id('outbox'))).configureICloudCalendars.__typename).toBe('NotAnEventCalendarError')
    expect((await configure(id('holidays-sub'))).configureICloudCalendars.__typename).toBe('SubscribedCalendarError')
    expect((await configure(id('work'), [id('holidays-sub')])).configureICloudCalendars).toMatchObject({
      __typename: 'SubscribedCalendarError',
      code: 'SUBSCRIBED_CALENDAR',
    })
    // Nothing was stored by any refused call.
    const integrationId = decodeId(integration.id)
    expect(await t.services.prisma.linkedCalendar.count({ where: { integrationId } })).toBe(0)
    expect(await t.services.prisma.conflictCalendar.count({ where: { integrationId } })).toBe(0)
  })

  it('refuses calendars of another integration and integrations of other users', async () => {
    const mine = await connected()
    const theirs = await connected()
    const foreignCalendar = await t.client(mine.owner.token).data(ConfigureICloudCalendars, {
      input: { integrationId: mine.integration.id, linkedCalendarId: theirs.id('work'), conflictCalendarIds: [] },
    })
    expect(foreignCalendar.configureICloudCalendars.__typename).toBe('NotFoundError')
    const foreignIntegration = await t.client(mine.owner.token).data(ConfigureICloudCalendars, {
      input: { integrationId: theirs.integration.id, linkedCalendarId: theirs.id('work'), conflictCalendarIds: [] },
    })
    expect(foreignIntegration.configureICloudCalendars.__typename).toBe('NotFoundError')
    // A colleague without admin rights cannot either; the subaccount admin can.
    const colleague = await createUser(t.services, mine.owner.subaccountId)
    const input = { integrationId: mine.integration.id, linkedCalendarId: mine.id('work'), conflictCalendarIds: [] }
    expect(
      (await t.client(colleague.token).data(ConfigureICloudCalendars, { input })).configureICloudCalendars.__typename,
    ).toBe('NotFoundError')
    expect(
      (await t.client(mine.team.admin.token).data(ConfigureICloudCalendars, { input })).configureICloudCalendars
        .__typename,
    ).toBe('ConfigureICloudCalendarsSuccess')
  })
})

describe('refreshCalendars', () => {
  it('adds new calendars and removes deleted ones from the configuration with a notice', async () => {
    const { owner, account, appleId, appSpecificPassword, integration, id } = await connected()
    await t.client(owner.token).data(ConfigureICloudCalendars, {
      input: { integrationId: integration.id, linkedCalendarId: id('work'), conflictCalendarIds: [id('boss')] },
    })
    await account.addCalendar('family', { displayName: 'Family' })
    const removed = await fetch(account.calendarUrl('work'), {
      method: 'DELETE',
      headers: { authorization: `Basic ${Buffer.from(`${appleId}:${appSpecificPassword}`).toString('base64')}` },
    })
    expect(removed.status).toBeLessThan(300)

    const result = await t.client(owner.token).data(RefreshCalendars, { input: { integrationId: integration.id } })
    expect(result.refreshCalendars.__typename).toBe('RefreshCalendarsSuccess')
    if (result.refreshCalendars.__typename !== 'RefreshCalendarsSuccess') return
    expect(result.refreshCalendars.addedCalendars).toEqual(['Family'])
    expect(result.refreshCalendars.removedCalendars).toEqual(['Work'])
    expect(result.refreshCalendars.linkedCalendarRemoved).toBe(true)
    const refreshed = result.refreshCalendars.integration
    expect(refreshed.linkedCalendar).toBeNull()
    expect(refreshed.conflictCalendars.map((c) => c.calendar.displayName)).toEqual(["Boss's calendar"])
    expect(refreshed.calendars.map((c) => c.displayName)).toContain('Family')
    expect(refreshed.calendars.map((c) => c.displayName)).not.toContain('Work')
    // Unchanged calendars keep their identity (upsert by path).
    expect(byName(refreshed.calendars, 'boss').id).toBe(id('boss'))

    const again = await t.client(owner.token).data(RefreshCalendars, { input: { integrationId: integration.id } })
    if (again.refreshCalendars.__typename !== 'RefreshCalendarsSuccess') throw new Error('refused')
    expect(again.refreshCalendars).toMatchObject({
      addedCalendars: [],
      removedCalendars: [],
      linkedCalendarRemoved: false,
    })
  })

  it('marks the integration NEEDS_REAUTH when iCloud refuses the stored (revoked) password', async () => {
    const { owner, account, integration } = await connected()
    account.revokePassword()
    const result = await t.client(owner.token).data(RefreshCalendars, { input: { integrationId: integration.id } })
    expect(result.refreshCalendars).toMatchObject({ __typename: 'InvalidCredentialsError' })
    const viewer = await t.client(owner.token).data(ViewerIntegrations)
    expect(viewer.viewer.integrations[0]).toMatchObject({
      status: 'NEEDS_REAUTH',
      lastError: expect.stringMatching(/reconnect/),
    })
    expect(viewer.viewer.integrations[0]?.calendars.length).toBeGreaterThan(0)
  })
})
