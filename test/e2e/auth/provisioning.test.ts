// Just-in-time provisioning from token claims: one user and one membership however many first requests race, profile
// changes in later tokens applied, and AUTH_PROVISIONING=off refusing strangers.
import { describe, expect, it } from 'vitest'
import { createTeam } from '../../support/factories.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { WhoAmIQuery } from './documents.ts'

let t: TestApp
const unique = () => Math.random().toString(36).slice(2, 10)
useTestApp((app) => (t = app), { AUTH_PROVISIONING: 'jit' })

describe('just-in-time provisioning', () => {
  it('turns 20 parallel first requests of a new user into one user, one subaccount and one membership', async () => {
    const userId = `crm-${unique()}`
    const subaccountId = `loc-${unique()}`
    const token = await t.services.tokens.sign({
      userId,
      subaccountId,
      email: `${userId}@crm.example`,
      name: 'Nina New',
      role: 'ADMIN',
      timeZone: 'America/Chicago',
    })
    const results = await Promise.all(Array.from({ length: 20 }, () => t.client(token).execute(WhoAmIQuery)))
    for (const result of results) expect(result.errors).toBeUndefined()
    expect(results[0]?.data?.viewer).toMatchObject({
      role: 'ADMIN',
      principal: 'USER',
      user: { crmId: userId, name: 'Nina New', email: `${userId}@crm.example`, timeZone: 'America/Chicago' },
      subaccount: { crmId: subaccountId },
    })
    const { prisma } = t.services
    expect(await prisma.user.count({ where: { id: userId } })).toBe(1)
    expect(await prisma.subaccount.count({ where: { id: subaccountId } })).toBe(1)
    expect(await prisma.membership.count({ where: { userId } })).toBe(1)
  })

  it('updates changed profile fields (e-mail, name, role, time zone) from later tokens', async () => {
    const userId = `crm-${unique()}`
    const subaccountId = `loc-${unique()}`
    const first = await t.services.tokens.sign({ userId, subaccountId, email: `${userId}@crm.example`, name: 'Old' })
    expect((await t.client(first).data(WhoAmIQuery)).viewer.role).toBe('USER')
    const later = await t.services.tokens.sign({
      userId,
      subaccountId,
      email: `renamed-${userId}@crm.example`,
      name: 'New Name',
      role: 'ADMIN',
      timeZone: 'Asia/Tokyo',
    })
    const data = await t.client(later).data(WhoAmIQuery)
    expect(data.viewer.role).toBe('ADMIN')
    expect(data.viewer.user).toMatchObject({
      email: `renamed-${userId}@crm.example`,
      name: 'New Name',
      timeZone: 'Asia/Tokyo',
    })
    // A token without profile claims changes nothing.
    const bare = await t.services.tokens.sign({ userId, subaccountId })
    expect((await t.client(bare).data(WhoAmIQuery)).viewer.user.name).toBe('New Name')
  })

  it('adds a known user to a second subaccount', async () => {
    const team = await createTeam(t.services)
    const user = await t.services.prisma.user.findUniqueOrThrow({ where: { id: team.user.id } })
    const token = await t.services.tokens.sign({ userId: user.id, subaccountId: `loc-${unique()}` })
    const data = await t.client(token).data(WhoAmIQuery)
    expect(data.viewer.user.email).toBe(user.email)
    expect(await t.services.prisma.membership.count({ where: { userId: user.id } })).toBe(2)
  })

  it('does not create a user from a token without an e-mail claim', async () => {
    const token = await t.services.tokens.sign({ userId: `crm-${unique()}`, subaccountId: `loc-${unique()}` })
    const result = await t.client(token).execute(WhoAmIQuery)
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
  })
})

describe('AUTH_PROVISIONING=off', () => {
  let off: TestApp
  useTestApp((app) => (off = app), { AUTH_PROVISIONING: 'off' })

  it('refuses unknown users and creates nothing, and still lets known members in', async () => {
    const userId = `crm-${unique()}`
    const token = await off.services.tokens.sign({ userId, subaccountId: `loc-${unique()}`, email: 'x@crm.example' })
    const result = await off.client(token).execute(WhoAmIQuery)
    expect(result.status).toBe(401)
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    expect(await off.services.prisma.user.count({ where: { id: userId } })).toBe(0)
    const team = await createTeam(off.services)
    expect((await off.client(team.user.token).data(WhoAmIQuery)).viewer.user.email).toBe(team.user.email)
  })
})
