// connectICloud against the iCloud-faithful test server: principal on the entry host, calendar home on a partition
// host, Reminders/inbox/outbox/notification/subscribed collections, a read-only shared calendar, 401s.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hostThrottleOf } from '../../../src/integrations/icloud/caldavSession.ts'
import type { ICloudTestAccount, ICloudTestServer } from '../../support/caldav/icloud/index.ts'
import { createSubaccount, createTeam, createUser } from '../../support/factories.ts'
import { addJane, JANE } from '../../support/icloudJane.ts'
import type { TestApp } from '../../support/testApp.ts'
import {
  byName,
  ConnectICloud,
  IntegrationById,
  NodeById,
  SubaccountIntegrations,
  ViewerIntegrations,
} from './documents.ts'
import { useICloudApp } from './icloudApp.ts'

let server: ICloudTestServer
let t: TestApp
let jane: ICloudTestAccount
const { appleId: janeId, appSpecificPassword: janePassword } = JANE
let accountCount = 0

/** A fresh iCloud account (each Apple ID can be connected once). */
async function newAccount(options: { normalPassword?: string } = {}) {
  accountCount++
  const appleId = `person${accountCount}@icloud.com`
  const appSpecificPassword = `pass-word-${String(accountCount).padStart(4, 'x')}-abcd`
  const account = await server.addAccount({ appleId, appSpecificPassword, ...options })
  return { account, appleId, appSpecificPassword }
}

const integrationCount = () => t.services.prisma.integration.count()

// A throttled answer pauses the host for this app (hostThrottleOf); each test starts unpaused.
beforeEach(() => hostThrottleOf(t.services).clear())

useICloudApp(
  async (started) => {
    ;({ server, t } = started)
    jane = await addJane(server)
  },
  { CALDAV_TIMEOUT_MS: '3000' },
)
afterEach(() => server.resetQuirks())

describe('connectICloud', () => {
  it('logs in, discovers the home on the partition host and stores the integration with every collection', async () => {
    const { user } = await createTeam(t.services)
    server.clearRequests()
    // Spaces and upper case are tolerated and normalised.
    const result = await t.client(user.token).data(ConnectICloud, {
      input: { appleId: ` ${janeId} `, appSpecificPassword: ' ABCD EFGH IJKL MNOP ' },
    })
    expect(result.connectICloud.__typename).toBe('ConnectICloudSuccess')
    if (result.connectICloud.__typename !== 'ConnectICloudSuccess') return
    const integration = result.connectICloud.integration
    expect(integration).toMatchObject({
      provider: 'ICLOUD',
      appleId: 'jane.doe@icloud.com',
      status: 'CONNECTED',
      lastError: null,
    })
    expect(Date.parse(integration.nextSyncAt)).toBeLessThanOrEqual(Date.now())

    // Principal on the entry host, everything after it on the partition host.
    expect(server.requests.filter((r) => r.host === 'entry').length).toBeGreaterThan(0)
    expect(server.requests.at(-1)?.host).toBe('partition')
    const row = await t.services.prisma.integration.findUniqueOrThrow({ where: { appleId: 'jane.doe@icloud.com' } })
    expect(row.principalUrl).toBe(`${server.entryUrl}${jane.dsid}/principal/`)
    expect(row.homeUrl).toBe(`${server.partitionUrl}${jane.dsid}/calendars/`)
    expect(row.credentialCiphertext).not.toContain('abcd')
    expect(t.services.cipher.decrypt(row.credentialCiphertext, row.appleId)).toBe(janePassword)

    const calendars = integration.calendars
    expect(calendars.map((c) => c.path.slice(jane.homePath.length, -1)).sort()).toEqual(
      ['boss', 'calendar', 'holidays-sub', 'inbox', 'notification', 'outbox', 'tasks', 'work'].sort(),
    )
    expect(byName(calendars, 'work')).toMatchObject({
      displayName: 'Work',
      color: '#FF2968FF',
      kind: 'EVENT_CALENDAR',
      writable: true,
      supportsEvents: true,
      shared: false,
      subscribed: false,
      selectableAsLinked: true,
      selectableAsConflict: true,
      notSelectableReason: null,
      isLinked: false,
      isConflict: false,
    })
    expect(byName(calendars, 'calendar')).toMatchObject({ selectableAsLinked: true, selectableAsConflict: true })
    expect(byName(calendars, 'boss')).toMatchObject({
      writable: false,
      readOnly: true,
      shared: true,
      selectableAsLinked: false,
      selectableAsConflict: true,
      notSelectableReason: expect.stringMatching(/read-only/i),
    })
    expect(byName(calendars, 'tasks')).toMatchObject({
      displayName: 'Reminders',
      kind: 'TASK_LIST',
      supportsEvents: false,
      selectableAsLinked: false,
      selectableAsConflict: false,
      notSelectableReason: expect.stringMatching(/Reminders/),
    })
    expect(byName(calendars, 'holidays-sub')).toMatchObject({
      displayName: 'US Holidays',
      kind: 'SUBSCRIBED',
      subscribed: true,
      selectableAsLinked: false,
      selectableAsConflict: false,
      notSelectableReason: expect.stringMatching(/Subscribed/),
    })
    for (const name of ['inbox', 'outbox', 'notification']) {
      expect(byName(calendars, name)).toMatchObject({
        supportsEvents: false,
        selectableAsLinked: false,
        selectableAsConflict: false,
        notSelectableReason: expect.stringMatching(/inbox|outbox|Notifications/),
      })
    }
    const viewer = await t.client(user.token).data(ViewerIntegrations)
    expect(viewer.viewer.integrations.map((i) => i.id)).toEqual([integration.id])
  })

  it('refuses a wrong password and a revoked one with InvalidCredentialsError, storing nothing', async () => {
    const { user } = await createTeam(t.services)
    const { account, appleId, appSpecificPassword } = await newAccount()
    const before = await integrationCount()
    const wrong = await t.client(user.token).data(ConnectICloud, {
      input: { appleId, appSpecificPassword: 'zzzz-zzzz-zzzz-zzzz' },
    })
    expect(wrong.connectICloud).toMatchObject({ __typename: 'InvalidCredentialsError', code: 'INVALID_CREDENTIALS' })
    if (wrong.connectICloud.__typename !== 'InvalidCredentialsError') return
    expect(wrong.connectICloud.message).toMatch(/app-specific password/)
    expect(wrong.connectICloud.message).toMatch(/appleid\.apple\.com/)

    account.revokePassword()
    const revoked = await t.client(user.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })
    expect(revoked.connectICloud.__typename).toBe('InvalidCredentialsError')
    expect(await integrationCount()).toBe(before)
    expect(await t.services.prisma.calendar.count({ where: { integration: { appleId } } })).toBe(0)
  })

  it('refuses the normal Apple ID password: by its shape (ValidationError) or by iCloud (401)', async () => {
    const { user } = await createTeam(t.services)
    const shaped = await newAccount({ normalPassword: 'norm-alpa-sswo-rdxx' })
    const unshaped = await newAccount({ normalPassword: 'MyN0rmalApplePassword!' })
    const before = await integrationCount()

    const byShape = await t.client(user.token).data(ConnectICloud, {
      input: { appleId: unshaped.appleId, appSpecificPassword: 'MyN0rmalApplePassword!' },
    })
    expect(byShape.connectICloud.__typename).toBe('ValidationError')
    if (byShape.connectICloud.__typename !== 'ValidationError') return
    expect(byShape.connectICloud.fieldErrors[0]?.path).toEqual(['input', 'appSpecificPassword'])
    expect(byShape.connectICloud.message).toMatch(/app-specific password/)
    expect(JSON.stringify(byShape)).not.toContain('MyN0rmalApplePassword!')

    const byICloud = await t.client(user.token).data(ConnectICloud, {
      input: { appleId: shaped.appleId, appSpecificPassword: 'norm-alpa-sswo-rdxx' },
    })
    expect(byICloud.connectICloud.__typename).toBe('InvalidCredentialsError')
    expect(await integrationCount()).toBe(before)
  })

  it('validates the Apple ID as an e-mail address', async () => {
    const { user } = await createTeam(t.services)
    const result = await t.client(user.token).data(ConnectICloud, {
      input: { appleId: 'not-an-email', appSpecificPassword: janePassword },
    })
    expect(result.connectICloud.__typename).toBe('ValidationError')
    if (result.connectICloud.__typename !== 'ValidationError') return
    expect(result.connectICloud.fieldErrors.map((e) => e.path.join('.'))).toEqual(['input.appleId'])
  })

  it('answers ICloudUnavailableError when iCloud drops connections or throttles, storing nothing', async () => {
    const { user } = await createTeam(t.services)
    const { appleId, appSpecificPassword } = await newAccount()
    const before = await integrationCount()
    server.quirks.dropConnections = true
    const dropped = await t.client(user.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })
    expect(dropped.connectICloud).toMatchObject({ __typename: 'ICloudUnavailableError', code: 'ICLOUD_UNAVAILABLE' })
    server.resetQuirks()
    server.quirks.throttle = { count: 100, retryAfterSeconds: 120 }
    const throttled = await t.client(user.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })
    expect(throttled.connectICloud.__typename).toBe('ICloudUnavailableError')
    expect(await integrationCount()).toBe(before)
    server.resetQuirks()
    hostThrottleOf(t.services).clear() // the Retry-After has passed: this app sends to the host again
    const ok = await t.client(user.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })
    expect(ok.connectICloud.__typename).toBe('ConnectICloudSuccess')
  })

  it('refuses a second iCloud integration for the same user in the same subaccount', async () => {
    const { user } = await createTeam(t.services)
    const first = await newAccount()
    const second = await newAccount()
    const ok = await t
      .client(user.token)
      .data(ConnectICloud, { input: { appleId: first.appleId, appSpecificPassword: first.appSpecificPassword } })
    expect(ok.connectICloud.__typename).toBe('ConnectICloudSuccess')
    const again = await t
      .client(user.token)
      .data(ConnectICloud, { input: { appleId: second.appleId, appSpecificPassword: second.appSpecificPassword } })
    expect(again.connectICloud).toMatchObject({ __typename: 'AlreadyConnectedError', code: 'ALREADY_CONNECTED' })
    expect(await t.services.prisma.integration.count({ where: { appleId: second.appleId } })).toBe(0)
  })

  it('refuses an Apple ID connected in another subaccount without revealing which', async () => {
    const teamA = await createTeam(t.services)
    const teamB = await createTeam(t.services)
    const { appleId, appSpecificPassword } = await newAccount()
    const ok = await t.client(teamA.user.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })
    expect(ok.connectICloud.__typename).toBe('ConnectICloudSuccess')
    const refused = await t.client(teamB.user.token).data(ConnectICloud, {
      input: { appleId: appleId.toUpperCase(), appSpecificPassword },
    })
    expect(refused.connectICloud).toMatchObject({ __typename: 'AppleIdInUseError', code: 'APPLE_ID_IN_USE' })
    const text = JSON.stringify(refused)
    for (const secret of [teamA.subaccount.id, teamA.subaccount.name, teamA.user.id, teamA.user.email]) {
      expect(text).not.toContain(secret)
    }
    // Also in the same subaccount, for another user.
    const colleague = await createUser(t.services, teamA.subaccount.id)
    const sameSub = await t.client(colleague.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })
    expect(sameSub.connectICloud.__typename).toBe('AppleIdInUseError')
    expect(await t.services.prisma.integration.count({ where: { appleId } })).toBe(1)
  })

  it('lets exactly one of two concurrent connects of the same Apple ID from two subaccounts win', async () => {
    for (let round = 0; round < 3; round++) {
      const { appleId, appSpecificPassword } = await newAccount()
      const a = await createUser(t.services, (await createSubaccount(t.services)).id)
      const b = await createUser(t.services, (await createSubaccount(t.services)).id)
      const results = await Promise.all(
        [a, b].map((user) => t.client(user.token).data(ConnectICloud, { input: { appleId, appSpecificPassword } })),
      )
      const typenames = results.map((r) => r.connectICloud.__typename).sort()
      expect(typenames).toEqual(['AppleIdInUseError', 'ConnectICloudSuccess'])
      expect(await t.services.prisma.integration.count({ where: { appleId } })).toBe(1)
    }
    // Both passed the early check: the unique constraint on appleId decided (the loser's insert hit P2002).
    const races = t.logs.filter(
      (line) => line.msg === 'iCloud connect lost a race' && line.outcome === 'APPLE_ID_IN_USE',
    )
    expect(races.length).toBeGreaterThan(0)
  })

  it('lets exactly one of two concurrent connects of one user (two Apple IDs) win', async () => {
    const { user } = await createTeam(t.services)
    const first = await newAccount()
    const second = await newAccount()
    const results = await Promise.all(
      [first, second].map((a) =>
        t
          .client(user.token)
          .data(ConnectICloud, { input: { appleId: a.appleId, appSpecificPassword: a.appSpecificPassword } }),
      ),
    )
    expect(results.map((r) => r.connectICloud.__typename).sort()).toEqual([
      'AlreadyConnectedError',
      'ConnectICloudSuccess',
    ])
    expect(await t.services.prisma.integration.count({ where: { userId: user.id } })).toBe(1)
    const races = t.logs.filter((line) => line.msg === 'iCloud connect lost a race' && line.userId === user.id)
    expect(races.map((line) => line.outcome)).toEqual(['ALREADY_CONNECTED'])
  })

  it('shows users their own integration and admins every integration of their subaccount only', async () => {
    const teamA = await createTeam(t.services)
    const teamB = await createTeam(t.services)
    const accountA = await newAccount()
    const accountB = await newAccount()
    const connectedA = await t.client(teamA.user.token).data(ConnectICloud, {
      input: { appleId: accountA.appleId, appSpecificPassword: accountA.appSpecificPassword },
    })
    await t.client(teamB.user.token).data(ConnectICloud, {
      input: { appleId: accountB.appleId, appSpecificPassword: accountB.appSpecificPassword },
    })
    if (connectedA.connectICloud.__typename !== 'ConnectICloudSuccess') throw new Error('connect failed')
    const idA = connectedA.connectICloud.integration.id
    const calendarA = connectedA.connectICloud.integration.calendars[0]!.id

    const adminA = await t.client(teamA.admin.token).data(SubaccountIntegrations)
    expect(adminA.viewer.subaccount.integrations.map((i) => i.appleId)).toEqual([accountA.appleId])
    expect((await t.client(teamA.admin.token).data(IntegrationById, { id: idA })).integration?.appleId).toBe(
      accountA.appleId,
    )
    expect((await t.client(teamA.admin.token).data(ViewerIntegrations)).viewer.integrations).toEqual([])

    // Another subaccount's admin sees nothing of it, by any route.
    const adminB = await t.client(teamB.admin.token).data(SubaccountIntegrations)
    expect(adminB.viewer.subaccount.integrations.map((i) => i.appleId)).toEqual([accountB.appleId])
    expect((await t.client(teamB.admin.token).data(IntegrationById, { id: idA })).integration).toBeNull()
    for (const id of [idA, calendarA]) {
      const viaNode = await t.client(teamB.admin.token).execute(NodeById, { id })
      expect(viaNode.data?.node ?? null).toBeNull()
      expect(JSON.stringify(viaNode)).not.toContain(accountA.appleId)
    }
    // A colleague without admin rights does not see it either.
    const colleague = await createUser(t.services, teamA.subaccount.id)
    expect((await t.client(colleague.token).data(IntegrationById, { id: idA })).integration).toBeNull()
    expect((await t.client(colleague.token).data(SubaccountIntegrations)).viewer.subaccount.integrations).toEqual([])
    expect((await t.client(teamA.user.token).execute(NodeById, { id: calendarA })).data?.node?.id).toBe(calendarA)
  })
})
