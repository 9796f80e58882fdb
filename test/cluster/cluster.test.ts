// A real deployment in miniature: 2 API and 2 worker processes (src/main.ts) on PostgreSQL (own schema) and Redis,
// 50 integrations on the iCloud test server. Every integration is synced, no integration is ever synced twice at
// once (from the SyncRun rows), a change made on the CalDAV server reaches a subscriber of an API process, and a
// worker killed with SIGKILL in the middle of a sync leaves a lease that expires and another worker finishes.
import { randomBytes } from 'node:crypto'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices } from '../../src/app/app.ts'
import type { Services } from '../../src/app/services.ts'
import { loadConfig } from '../../src/config.ts'
import { startCluster, startClusterProcess, type ClusterProcess } from '../../scripts/cluster/processes.ts'
import { graphql } from '../graphql/index.ts'
import type { ICloudTestAccount, ICloudTestServer } from '../support/caldav/icloud/index.ts'
import { sharedDatabaseUrl, sharedSecrets, testRedisUrl } from '../support/deployment.ts'
import { createSubaccount, createUser, type TestUser } from '../support/factories.ts'
import { GraphQLTestClient } from '../support/graphqlClient.ts'
import {
  createIntegrationFixture,
  eventIcs,
  stamp,
  startICloudSyncServer,
  type SyncServer,
} from '../support/integrationFixtures.ts'
import { dropSchema, type TestApp } from '../support/testApp.ts'
import { at, upcomingMonday } from '../e2e/scheduling/support.ts'
import { bookOrThrow } from '../e2e/scheduling/flows.ts'
import { linkedMember, listResources } from '../e2e/writeBack/support.ts'

const INTEGRATIONS = 50
const schema = `cluster_${randomBytes(6).toString('hex')}`

const ClusterBlockedSlotsChanged = graphql(`
  subscription ClusterBlockedSlotsChanged($userId: ID!) {
    blockedSlotsChanged(userId: $userId) {
      userId
    }
  }
`)

interface Member {
  user: TestUser
  account: ICloudTestAccount
  integrationId: string
}

let syncServer: SyncServer
let icloud: ICloudTestServer
let services: Services
let closeServices: () => Promise<void>
let processes: ClusterProcess[] = []
const members: Member[] = []
const env = {
  NODE_ENV: 'test',
  DATABASE_URL: sharedDatabaseUrl,
  DATABASE_SCHEMA: schema,
  REDIS_URL: testRedisUrl,
  ...sharedSecrets('cluster'),
  SYNC_INTERVAL_SECONDS: '2',
  SYNC_LEASE_SECONDS: '10',
  WRITE_BACK_LEASE_SECONDS: '10',
  LOG_LEVEL: 'info',
}

async function poll<T>(what: string, read: () => Promise<T | null | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (value !== null && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

async function seedMember(index: number): Promise<Member> {
  const appleId = `cluster${index}@icloud.com`
  const password = 'abcd-efgh-ijkl-mnop'
  const account = await icloud.addAccount({ appleId, appSpecificPassword: password, defaultCalendars: false })
  const calendarUrl = await account.addCalendar('work', { displayName: 'Work' })
  await account.putEvent(
    'work',
    'first.ics',
    eventIcs({ uid: `first-${index}`, start: stamp(1, 9), end: stamp(1, 10) }),
  )
  const subaccount = await createSubaccount(services)
  const user = await createUser(services, subaccount.id, { email: `member${index}@example.com` })
  const server = { serverUrl: icloud.entryUrl, username: appleId, password } as Parameters<
    typeof createIntegrationFixture
  >[2]
  const fixture = await createIntegrationFixture(services, user, server, { conflicts: [calendarUrl] })
  return { user, account, integrationId: fixture.integrationId }
}

beforeAll(async () => {
  syncServer = await startICloudSyncServer()
  icloud = syncServer.icloud!
  const config = loadConfig({ ...env, DATA_DIR: '/tmp', LOG_LEVEL: 'silent', ICLOUD_CALDAV_URL: icloud.entryUrl })
  const opened = await createServices(config, { databaseSchema: schema }) // applies the migrations
  services = opened.services
  closeServices = async () => {
    await opened.closePubSub()
    await opened.database.close()
  }
  for (let i = 0; i < INTEGRATIONS; i++) members.push(await seedMember(i))
  processes = await startCluster({ ...env, ICLOUD_CALDAV_URL: icloud.entryUrl }, { apis: 2, workers: 2 })
}, 300_000)

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()))
  await closeServices?.()
  await syncServer?.stop()
  await dropSchema(sharedDatabaseUrl, schema)
}, 120_000)

async function assertNoOverlappingRuns(): Promise<void> {
  const runs = await services.prisma.syncRun.findMany({ orderBy: [{ integrationId: 'asc' }, { startedAt: 'asc' }] })
  for (let i = 1; i < runs.length; i++) {
    const previous = runs[i - 1]!
    const run = runs[i]!
    if (previous.integrationId !== run.integrationId) continue
    expect(previous.finishedAt, `run ${previous.id} still open when ${run.id} started`).not.toBeNull()
    expect(previous.finishedAt!.getTime()).toBeLessThanOrEqual(run.startedAt.getTime())
  }
}

describe('2 API + 2 worker processes', () => {
  it('syncs every integration, never one integration twice at once', async () => {
    await poll('every integration synced', async () => {
      const synced = await services.prisma.integration.count({ where: { lastSyncedAt: { not: null } } })
      return synced === INTEGRATIONS
    })
    for (const member of members) {
      expect(await services.prisma.blockedSlot.count({ where: { userId: member.user.id } })).toBe(1)
    }
    await assertNoOverlappingRuns()
  })

  it('brings a change made on the CalDAV server to a subscriber of either API process', async () => {
    const member = members[7]!
    const userId = encodeGlobalID('User', member.user.id)
    const api = processes.filter((p) => p.role === 'api')
    const subscriptions = api.map((p) => new GraphQLTestClient(`${p.url}/graphql`, member.user.token).subscriptions())
    const lives = subscriptions.map((s) => s.subscribe(ClusterBlockedSlotsChanged, { userId }))
    await new Promise((resolve) => setTimeout(resolve, 1000)) // the Redis SUBSCRIBE is asynchronous
    await member.account.putEvent(
      'work',
      'later.ics',
      eventIcs({ uid: 'later-7', start: stamp(2, 9), end: stamp(2, 10) }),
    )
    for (const live of lives) {
      const pushed = await live.next(60_000)
      expect(pushed.data?.blockedSlotsChanged.userId).toBe(userId)
    }
    await Promise.all(subscriptions.map((s) => s.close()))
  })

  it('finishes a sync whose worker was killed with SIGKILL mid-run, losing and duplicating nothing', async () => {
    const member = members[21]!
    icloud.quirks.delayMs = 1500 // every answer slow: the run is caught in flight
    await member.account.putEvent(
      'work',
      'killed.ics',
      eventIcs({ uid: 'killed-21', start: stamp(3, 9), end: stamp(3, 10) }),
    )
    const running = await poll('a run of the changed integration in flight', async () => {
      const integration = await services.prisma.integration.findUnique({ where: { id: member.integrationId } })
      const run = await services.prisma.syncRun.findFirst({
        where: { integrationId: member.integrationId, outcome: 'RUNNING' },
      })
      return run && integration?.leaseOwner ? { run, owner: integration.leaseOwner } : null
    })
    const victim = processes.find((p) => p.role === 'worker' && running.owner.includes(`:${p.child.pid}:`))
    expect(victim, `lease owner ${running.owner} is one of the workers`).toBeDefined()
    await victim!.killHard()
    const killedAt = new Date()
    icloud.quirks.delayMs = 0

    const finished = await poll('another worker finishing the integration', async () =>
      services.prisma.syncRun.findFirst({
        where: { integrationId: member.integrationId, outcome: 'SUCCESS', startedAt: { gt: killedAt } },
      }),
    )
    expect(finished.finishedAt).not.toBeNull()
    const interrupted = await services.prisma.syncRun.findUnique({ where: { id: running.run.id } })
    expect(interrupted?.outcome).toBe('FAILED')
    const slots = await services.prisma.blockedSlot.findMany({
      where: { userId: member.user.id },
      include: { object: { select: { uid: true } } },
    })
    expect(slots.map((s) => s.object?.uid).sort()).toEqual(['first-21', 'killed-21'])
    await assertNoOverlappingRuns()
  })

  it('finishes a write-back whose worker was killed with SIGKILL mid-write, writing the event once', async () => {
    // A replacement for the worker killed above, as an orchestrator would start: two workers again.
    const clusterEnv = { ...env, ICLOUD_CALDAV_URL: icloud.entryUrl }
    processes.push(await startClusterProcess({ name: 'worker-3', role: 'worker', env: clusterEnv }))
    const api = processes.find((p) => p.role === 'api')!
    // The write-back helpers need services (this process) and a client (an API process).
    const t = { services, client: (token: string | null) => new GraphQLTestClient(`${api.url}/graphql`, token) }
    const member = await linkedMember(t as unknown as TestApp, syncServer)
    icloud.quirks.delayMs = 3000 // the worker's PUT is caught in flight
    const { appointmentId } = await bookOrThrow(member.f, at(upcomingMonday(), 10))
    const where = { appointmentId_userId: { appointmentId, userId: member.userId } }
    const leased = await poll('a worker writing the appointment', async () => {
      const participant = await services.prisma.appointmentParticipant.findUnique({ where })
      return participant?.leaseOwner && participant.writeBackState === 'PENDING' ? participant : null
    })
    const victim = processes.find(
      (p) => p.role === 'worker' && p.child.exitCode === null && leased.leaseOwner!.includes(`:${p.child.pid}:`),
    )
    expect(victim, `lease owner ${leased.leaseOwner} is a live worker`).toBeDefined()
    await victim!.killHard()
    icloud.quirks.delayMs = 0

    const written = await poll('another worker writing it', async () => {
      const participant = await services.prisma.appointmentParticipant.findUnique({ where })
      return participant?.writeBackState === 'SYNCED' ? participant : null
    })
    expect(written.leaseOwner === null || written.leaseOwner !== leased.leaseOwner).toBe(true)
    const resources = await listResources(member.login, member.calendarUrl)
    expect(resources).toHaveLength(1)
  })
})
