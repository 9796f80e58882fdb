// Errors have one shape: every error a client can get carries a stable code (README "Limits and errors").
import { encodeGlobalID } from '@pothos/plugin-relay'
import { describe, expect, it } from 'vitest'
import { createTeam, createUser } from '../../support/factories.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'

let t: TestApp
let team: Awaited<ReturnType<typeof createTeam>>

useTestApp(async (app) => {
  t = app
  team = await createTeam(t.services)
})

const from = '2030-01-07T10:00:00Z'
const before = '2030-01-07T09:00:00Z'

async function codesOf(query: string, token = team.admin.token, variables?: Record<string, unknown>) {
  const result = await t.client(token).execute(query, variables)
  return result.errors?.map((error) => error.extensions?.code) ?? []
}

describe('error codes', () => {
  it('gives ValidationError the code INVALID_INPUT', async () => {
    const result = await t.client(team.user.token).execute(
      `mutation($input: CreateBlockedSlotInput!) {
        createBlockedSlot(input: $input) { __typename ... on Error { code } }
      }`,
      { input: { userId: encodeGlobalID('User', team.user.id), start: from, end: before } },
    )
    expect(result.data).toEqual({ createBlockedSlot: { __typename: 'ValidationError', code: 'INVALID_INPUT' } })
  })

  it('gives query argument validation INVALID_INPUT: blockedSlots, appointments, availability', async () => {
    const userId = encodeGlobalID('User', team.user.id)
    expect(await codesOf(`{ blockedSlots(userId: "${userId}", from: "${from}", to: "${before}") { id } }`)).toEqual([
      'INVALID_INPUT',
    ])
    const calendar = await t.services.prisma.crmCalendar.create({
      data: { subaccountId: team.subaccount.id, name: 'Codes', type: 'SERVICE', timeZone: 'Europe/Berlin' },
    })
    const calendarId = encodeGlobalID('CrmCalendar', calendar.id)
    expect(
      await codesOf(`{ crmCalendar(id: "${calendarId}") { appointments(from: "${from}", to: "${before}") { id } } }`),
    ).toEqual(['INVALID_INPUT'])
    expect(
      await codesOf(
        `{ availability(calendarId: "${calendarId}", from: "${from}", to: "${before}", timeZone: "UTC") { stale } }`,
      ),
    ).toEqual(['INVALID_INPUT'])
  })

  it('gives variables that do not fit their type INVALID_INPUT', async () => {
    const query = `query($id: ID!, $zone: TimeZone!) {
      availability(calendarId: $id, from: "${from}", to: "${before}", timeZone: $zone) { stale }
    }`
    expect(await codesOf(query, team.admin.token, { id: 'x' })).toEqual(['INVALID_INPUT'])
    expect(await codesOf(query, team.admin.token, { id: 'x', zone: 'Mars/Olympus' })).toEqual(['INVALID_INPUT'])
    expect(await codesOf(query, team.admin.token, { id: ['x'], zone: 'UTC' })).toEqual(['INVALID_INPUT'])
  })

  it('gives an invalid global ID INVALID_INPUT and a hidden node FORBIDDEN', async () => {
    expect(await codesOf(`{ node(id: "garbage") { id } }`)).toEqual(['INVALID_INPUT'])
    const other = await createUser(t.services, team.subaccount.id)
    const slot = await t.services.prisma.blockedSlot.create({
      data: { userId: other.id, subaccountId: team.subaccount.id, start: before, end: from, source: 'CRM' },
    })
    const id = encodeGlobalID('BlockedSlot', slot.id)
    expect(await codesOf(`{ node(id: "${id}") { id } }`, team.user.token)).toEqual(['FORBIDDEN'])
  })

  it('gives a missing token UNAUTHENTICATED and an unexpected failure INTERNAL_SERVER_ERROR', async () => {
    expect(await codesOf(`{ viewer { role } }`, '')).toEqual(['UNAUTHENTICATED'])
    expect(await codesOf(`{ viewer { role } } query Other { viewer { role } }`)).toEqual([
      'OPERATION_RESOLUTION_FAILURE',
    ])
  })
})
