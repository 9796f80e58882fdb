import { readFile } from 'node:fs/promises'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { describe, expect, it } from 'vitest'
import { graphqlModulesSource } from '../../src/graphql/moduleMap.ts'
import { printSchemaSDL } from '../../src/graphql/schema.ts'
import { graphql } from '../graphql/index.ts'
import { createTeam } from '../support/factories.ts'
import { useTestApp, type TestApp } from '../support/testApp.ts'

const ViewerQuery = graphql(`
  query FoundationViewer {
    viewer {
      role
      user {
        id
        name
        email
      }
      subaccount {
        id
        name
        crmCalendars(first: 10) {
          edges {
            node {
              id
              name
              type
              members {
                user {
                  name
                }
                workingHours {
                  ...WorkingHoursFields
                }
              }
            }
          }
        }
      }
    }
  }
`)

const CrmCalendarQuery = graphql(`
  query FoundationCrmCalendar($id: ID!) {
    crmCalendar(id: $id) {
      id
      name
    }
  }
`)

const NodeQuery = graphql(`
  query FoundationNode($id: ID!) {
    node(id: $id) {
      id
      ... on CrmCalendar {
        name
      }
    }
  }
`)

const HeartbeatSubscription = graphql(`
  subscription FoundationHeartbeat {
    heartbeat(intervalSeconds: 1)
  }
`)

let t: TestApp

useTestApp((app) => (t = app))

async function createCalendar(subaccountId: string, userId: string, name: string) {
  return t.services.prisma.crmCalendar.create({
    data: {
      subaccountId,
      name,
      type: 'ROUND_ROBIN',
      timeZone: 'Europe/Berlin',
      members: {
        create: {
          userId,
          timeZone: 'Europe/Berlin',
          workingHours: { create: { weekday: 1, startMinute: 540, endMinute: 1020 } },
        },
      },
    },
  })
}

describe('foundation', () => {
  it('rejects every operation without a valid token with UNAUTHENTICATED', async () => {
    for (const token of [null, 'garbage', 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl']) {
      const result = await t.client(token).execute(ViewerQuery)
      expect(result.status).toBe(401)
      expect(result.data ?? null).toBeNull()
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    }
  })

  it('returns the viewer and their CRM calendars with a valid token', async () => {
    const { subaccount, admin } = await createTeam(t.services)
    await createCalendar(subaccount.id, admin.id, 'Sales call')
    const data = await t.client(admin.token).data(ViewerQuery)
    expect(data.viewer.role).toBe('ADMIN')
    expect(data.viewer.user.email).toBe(admin.email)
    expect(data.viewer.subaccount.name).toBe(subaccount.name)
    const calendars = data.viewer.subaccount.crmCalendars.edges.map((edge) => edge.node)
    expect(calendars).toHaveLength(1)
    expect(calendars[0]).toMatchObject({ name: 'Sales call', type: 'ROUND_ROBIN' })
    expect(calendars[0]?.members[0]?.workingHours).toEqual([{ weekday: 1, startMinute: 540, endMinute: 1020 }])
  })

  it('never lets a token of subaccount A read subaccount B', async () => {
    const teamA = await createTeam(t.services)
    const teamB = await createTeam(t.services)
    const calendarB = await createCalendar(teamB.subaccount.id, teamB.admin.id, 'Secret B')
    const id = encodeGlobalID('CrmCalendar', calendarB.id)

    const direct = await t.client(teamA.admin.token).data(CrmCalendarQuery, { id })
    expect(direct.crmCalendar).toBeNull()
    const viaNode = await t.client(teamA.admin.token).execute(NodeQuery, { id })
    expect(viaNode.data?.node ?? null).toBeNull()
    expect(JSON.stringify(viaNode)).not.toContain('Secret B')
    const listed = await t.client(teamA.admin.token).data(ViewerQuery)
    expect(JSON.stringify(listed)).not.toContain('Secret B')

    const own = await t.client(teamB.user.token).data(CrmCalendarQuery, { id })
    expect(own.crmCalendar?.name).toBe('Secret B')
  })

  it('rejects a token whose user is not a member of the subaccount it names', async () => {
    const teamA = await createTeam(t.services)
    const teamB = await createTeam(t.services)
    const forged = await t.services.tokens.sign({ userId: teamA.user.id, subaccountId: teamB.subaccount.id })
    const result = await t.client(forged).execute(ViewerQuery)
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
  })

  it('serves health and readiness probes', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
    const ready = await fetch(`${t.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ready', database: 'up' })
  })

  it('limits aliases and request size', async () => {
    const { admin } = await createTeam(t.services)
    const deep = `{ viewer { subaccount { crmCalendars(first: 1) { edges { node { members { user { name } } } } } } } }`
    expect((await t.client(admin.token).execute(deep)).errors).toBeUndefined()
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`
    const aliasResult = await t.client(admin.token).execute(aliases)
    expect(aliasResult.errors?.[0]?.message).toMatch(/alias/i)
    const huge = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: `{ viewer { role } }`, variables: { pad: 'x'.repeat(200_000) } }),
    })
    expect(huge.status).toBe(413)
  })

  it('masks unexpected errors', async () => {
    const { admin } = await createTeam(t.services)
    const result = await t.client(admin.token).execute(`{ viewer { role } } query Other { viewer { role } }`)
    expect(result.errors?.length).toBeGreaterThan(0)
    expect(JSON.stringify(result)).not.toContain('stack')
  })

  it('streams subscriptions over graphql-ws with the token from connectionParams', async () => {
    const { user } = await createTeam(t.services)
    const subscriptions = t.client(user.token).subscriptions()
    const heartbeat = subscriptions.subscribe(HeartbeatSubscription)
    const first = await heartbeat.next()
    expect(Date.parse(first.data!.heartbeat)).toBeGreaterThan(Date.now() - 5000)
    heartbeat.close()
    await subscriptions.close()

    const anonymous = t.client(null).subscriptions()
    const refused = anonymous.subscribe(HeartbeatSubscription)
    // connection_init without a token is refused with close 4401 (graphql-ws clients do not retry it).
    await expect(refused.next(5000)).rejects.toThrow(/subscription failed/)
    expect((refused.error as { code?: number }).code).toBe(4401)
    await anonymous.close()
  })

  it('never logs the authorization header', async () => {
    const { user } = await createTeam(t.services)
    await t.client(user.token).execute(`{ viewer { nope } }`)
    expect(t.rawLogs.join('\n')).not.toContain(user.token)
  })

  it('keeps schema/schema.graphql identical to the printed schema (run npm run schema:print)', async () => {
    const committed = await readFile(new URL('../../schema/schema.graphql', import.meta.url), 'utf8')
    expect(committed).toBe(printSchemaSDL())
  })

  it('keeps src/graphql/modules.ts listing every type, mutation and subscription file (run npm run schema:print)', async () => {
    const committed = await readFile(new URL('../../src/graphql/modules.ts', import.meta.url), 'utf8')
    expect(committed).toBe(await graphqlModulesSource())
  })
})
