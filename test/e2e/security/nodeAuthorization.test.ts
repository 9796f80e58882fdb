// Authorization is the same by every path: each Node type read through `node` and `nodes` is visible to exactly the
// people its root field shows it to. The table must name every type that implements Node.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { isObjectType } from 'graphql'
import { describe, expect, it } from 'vitest'
import { schema } from '../../../src/graphql/schema.ts'
import { createStoredIntegration, createTeam, createUser, type TestUser } from '../../support/factories.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'

type Viewer = 'owner' | 'otherUser' | 'admin' | 'otherSubaccount'

/**
 * Who sees it: the whole subaccount, only its user and the subaccount's admins (like `integration`, `blockedSlots`),
 * or only the admins (like `webhookEndpoints`).
 */
type Rule = 'subaccount' | 'ownerAndAdmins' | 'admins'
const visibility: Record<string, Rule> = {
  Subaccount: 'subaccount',
  User: 'subaccount',
  CrmCalendar: 'subaccount',
  CrmCalendarMember: 'subaccount',
  Appointment: 'subaccount',
  Contact: 'subaccount',
  Integration: 'ownerAndAdmins',
  Calendar: 'ownerAndAdmins',
  SyncRun: 'ownerAndAdmins',
  BlockedSlot: 'ownerAndAdmins',
  WebhookEndpoint: 'admins',
  ApiKey: 'admins',
  WebhookDelivery: 'admins',
}

function expected(rule: Rule, viewer: Viewer): boolean {
  if (viewer === 'otherSubaccount') return false
  if (rule === 'admins') return viewer === 'admin'
  return rule === 'subaccount' || viewer !== 'otherUser'
}

let t: TestApp
let viewers: Record<Viewer, TestUser>
let ids: Record<string, string>

useTestApp(async (app) => {
  t = app
  const team = await createTeam(t.services)
  const owner = await createUser(t.services, team.subaccount.id)
  viewers = { owner, otherUser: team.user, admin: team.admin, otherSubaccount: (await createTeam(t.services)).admin }
  ids = await createOneOfEach(team.subaccount.id, owner.id)
})

async function createOneOfEach(subaccountId: string, userId: string): Promise<Record<string, string>> {
  const prisma = t.services.prisma
  const calendar = await prisma.crmCalendar.create({
    data: { subaccountId, name: 'Intro', type: 'SERVICE', timeZone: 'Europe/Berlin' },
  })
  const member = await prisma.crmCalendarMember.create({
    data: { calendarId: calendar.id, userId, timeZone: 'Europe/Berlin' },
  })
  const contact = await prisma.contact.create({ data: { subaccountId, name: 'Ann', email: 'ann@example.com' } })
  const start = new Date('2030-01-07T09:00:00Z')
  const end = new Date('2030-01-07T09:30:00Z')
  const appointment = await prisma.appointment.create({
    data: {
      subaccountId,
      calendarId: calendar.id,
      assignedUserId: userId,
      contactId: contact.id,
      start,
      end,
      title: 'Intro with Ann',
      icalUid: `node-auth-${userId}`,
    },
    select: { id: true },
  })
  const { integration, calendar: remote } = await createStoredIntegration(t.services, { userId, subaccountId })
  const run = await prisma.syncRun.create({ data: { integrationId: integration.id, trigger: 'MANUAL' } })
  const slot = await prisma.blockedSlot.create({ data: { userId, subaccountId, start, end, source: 'CRM' } })
  const endpoint = await prisma.webhookEndpoint.create({
    data: {
      subaccountId,
      url: 'https://crm.example/hooks',
      eventTypes: ['appointment.booked'],
      secretCiphertext: 'x',
      secretKeyId: 'k',
    },
  })
  const apiKey = await prisma.apiKey.create({
    data: { subaccountId, name: 'CRM backend', prefix: 'sk_test', secretHash: `hash-${userId}` },
  })
  const event = await prisma.webhookEvent.create({
    data: { id: `evt_${userId}`, subaccountId, type: 'appointment.booked', payload: {} },
  })
  const delivery = await prisma.webhookDelivery.create({ data: { eventId: event.id, endpointId: endpoint.id } })
  return {
    Subaccount: subaccountId,
    User: userId,
    CrmCalendar: calendar.id,
    CrmCalendarMember: member.id,
    Appointment: appointment.id,
    Contact: contact.id,
    Integration: integration.id,
    Calendar: remote.id,
    SyncRun: run.id,
    BlockedSlot: slot.id,
    WebhookEndpoint: endpoint.id,
    WebhookDelivery: delivery.id,
    ApiKey: apiKey.id,
  }
}

const NodeQuery = `query AnyNode($id: ID!) { node(id: $id) { id } }`
const NodesQuery = `query AnyNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }`

describe('node and nodes authorization', () => {
  it('covers every type that implements Node', () => {
    const nodeTypes = schema.getPossibleTypes(schema.getType('Node') as never).filter(isObjectType)
    expect(nodeTypes.map((type) => type.name).sort()).toEqual(Object.keys(visibility).sort())
  })

  it.each(Object.keys(visibility))('%s: visible exactly to whom its root field shows it', async (type) => {
    const id = encodeGlobalID(type, ids[type]!)
    for (const viewer of Object.keys(viewers) as Viewer[]) {
      const client = t.client(viewers[viewer].token)
      const single = await client.execute<{ node: { id: string } | null }, { id: string }>(NodeQuery, { id })
      const many = await client.execute<{ nodes: ({ id: string } | null)[] }, { ids: string[] }>(NodesQuery, {
        ids: [id],
      })
      const visible = expected(visibility[type]!, viewer)
      expect(single.data?.node?.id ?? null, `${type} via node as ${viewer}`).toBe(visible ? id : null)
      expect(many.data?.nodes?.[0]?.id ?? null, `${type} via nodes as ${viewer}`).toBe(visible ? id : null)
    }
  })
})
