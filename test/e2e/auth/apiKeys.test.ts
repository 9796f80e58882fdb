// API keys (server-to-server): created and revoked by admins, shown once, stored hashed, and acting as the
// subaccount's service principal: upsert users, set working hours, remove users (their tokens stop working at the
// next request; their iCloud integration is disconnected and its password erased), list changed appointments.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createStoredIntegration, createTeam, createUser } from '../../support/factories.ts'
import { testDatabaseUrl, useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, book, rawId, setUpCalendar, upcomingMonday, userGid } from '../scheduling/support.ts'
import {
  ApiKeysQuery,
  ChangesQuery,
  CreateApiKeyMutation,
  PrincipalQuery,
  RemoveUserMutation,
  RevokeApiKeyMutation,
  SetUserWorkingHoursMutation,
  UpsertUserMutation,
  WhoAmIQuery,
} from './documents.ts'

let t: TestApp
const unique = () => Math.random().toString(36).slice(2, 10)
useTestApp((app) => (t = app), { AUTH_PROVISIONING: 'jit' })

async function newKey(adminToken: string, name = 'CRM backend') {
  const result = await t.client(adminToken).data(CreateApiKeyMutation, { input: { name } })
  if (result.createApiKey.__typename !== 'CreateApiKeySuccess') throw new Error(JSON.stringify(result.createApiKey))
  return result.createApiKey
}

describe('managing API keys', () => {
  it('shows the key once, stores only its SHA-256, and lists it by prefix', async () => {
    const { admin } = await createTeam(t.services)
    const created = await newKey(admin.token)
    expect(created.secret).toMatch(/^sk_[A-Za-z0-9_-]{43}$/)
    expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true)
    const rows = await t.services.prisma.apiKey.findMany({ where: { subaccountId: admin.subaccountId } })
    expect(rows).toHaveLength(1)
    expect(rows[0]!.secretHash).toBe(createHash('sha256').update(created.secret).digest('hex'))
    expect(JSON.stringify(rows)).not.toContain(created.secret.slice(12))
    const listed = await t.client(admin.token).data(ApiKeysQuery, {})
    expect(listed.apiKeys.map((key) => key.prefix)).toEqual([created.apiKey.prefix])
    expect(JSON.stringify(listed)).not.toContain(created.secret)
  })

  it('lets only admin users manage keys: not plain users, not API keys', async () => {
    const { admin, user } = await createTeam(t.services)
    const asUser = await t.client(user.token).data(CreateApiKeyMutation, { input: { name: 'x' } })
    expect(asUser.createApiKey).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' })
    const { secret } = await newKey(admin.token)
    const asKey = await t.client(secret).data(CreateApiKeyMutation, { input: { name: 'x' } })
    expect(asKey.createApiKey).toMatchObject({ __typename: 'ForbiddenError' })
  })

  it('acts as the subaccount service principal until revoked; then its next request is refused', async () => {
    const { admin } = await createTeam(t.services)
    const { secret, apiKey } = await newKey(admin.token)
    const viewer = await t.client(secret).data(PrincipalQuery)
    expect(viewer.viewer).toMatchObject({ principal: 'API_KEY', role: 'ADMIN' })
    expect(viewer.viewer.subaccount.id).toBeTruthy()
    const revoked = await t.client(admin.token).data(RevokeApiKeyMutation, { input: { apiKeyId: apiKey.id } })
    expect(revoked.revokeApiKey.__typename).toBe('RevokeApiKeySuccess')
    const refused = await t.client(secret).execute(PrincipalQuery)
    expect(refused.status).toBe(401)
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    expect((await t.client(`sk_${'x'.repeat(43)}`).execute(PrincipalQuery)).status).toBe(401)
  })

  it('cannot revoke another subaccount’s key', async () => {
    const teamA = await createTeam(t.services)
    const teamB = await createTeam(t.services)
    const { apiKey, secret } = await newKey(teamB.admin.token)
    const result = await t.client(teamA.admin.token).data(RevokeApiKeyMutation, { input: { apiKeyId: apiKey.id } })
    expect(result.revokeApiKey.__typename).toBe('NotFoundError')
    expect((await t.client(secret).execute(PrincipalQuery)).errors).toBeUndefined()
  })
})

describe('the service principal', () => {
  it('upserts a user with membership, role and time zone; the user’s token then works', async () => {
    const { admin } = await createTeam(t.services)
    const { secret } = await newKey(admin.token)
    const crmId = `crm-${unique()}`
    const input = {
      crmId,
      email: `${crmId}@crm.example`,
      name: 'Uma Upsert',
      role: 'ADMIN' as const,
      timeZone: 'Asia/Tokyo',
    }
    const first = await t.client(secret).data(UpsertUserMutation, { input })
    expect(first.upsertUser).toMatchObject({ __typename: 'UpsertUserSuccess', user: { crmId, timeZone: 'Asia/Tokyo' } })
    const again = await t
      .client(secret)
      .data(UpsertUserMutation, { input: { ...input, name: 'Uma Renamed', role: 'USER' } })
    expect(again.upsertUser).toMatchObject({ user: { name: 'Uma Renamed' } })
    expect(await t.services.prisma.user.count({ where: { id: crmId } })).toBe(1)
    const token = await t.services.tokens.sign({ userId: crmId, subaccountId: admin.subaccountId })
    const me = await t.client(token).data(WhoAmIQuery)
    expect(me.viewer).toMatchObject({ role: 'USER', user: { name: 'Uma Renamed', timeZone: 'Asia/Tokyo' } })
  })

  it('refuses bad input with a ValidationError and changes nothing', async () => {
    const { admin } = await createTeam(t.services)
    const { secret } = await newKey(admin.token)
    const result = await t.client(secret).execute(UpsertUserMutation, {
      input: { crmId: 'bad\u0000id', email: 'x@crm.example', name: 'X' },
    })
    expect(result.data?.upsertUser.__typename).toBe('ValidationError')
    expect(await t.services.prisma.user.count({ where: { email: 'x@crm.example' } })).toBe(0)
  })

  it('sets a user’s working hours on every CRM calendar they are a member of', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE', members: 1 })
    const { secret } = await newKey(f.admin.token)
    const member = f.members[0]!
    const rules = [{ weekday: 2, startMinute: 600, endMinute: 720 }]
    const result = await t.client(secret).data(SetUserWorkingHoursMutation, {
      input: { userId: userGid(member.user.id), rules, timeZone: 'America/New_York' },
    })
    if (result.setUserWorkingHours.__typename !== 'SetUserWorkingHoursSuccess') throw new Error('failed')
    expect(result.setUserWorkingHours.members).toEqual([
      { id: member.memberId, timeZone: 'America/New_York', workingHours: rules },
    ])
  })

  it('removes a user: the next request with their still-valid token is refused, their iCloud integration is erased', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE', members: 1 })
    const { secret } = await newKey(f.admin.token)
    const user = f.members[0]!.user
    const encrypted = t.services.cipher.encrypt('abcd-efgh-ijkl-mnop', `${user.id}@icloud.example`)
    const { calendar } = await createStoredIntegration(
      t.services,
      { userId: user.id, subaccountId: f.subaccountId },
      { credentialCiphertext: encrypted.ciphertext, credentialKeyId: encrypted.keyId },
    )
    await t.services.prisma.blockedSlot.create({
      data: {
        userId: user.id,
        subaccountId: f.subaccountId,
        calendarId: calendar.id,
        start: new Date(),
        end: new Date(Date.now() + 3600_000),
        source: 'ICLOUD',
      },
    })
    expect((await t.client(user.token).execute(WhoAmIQuery)).errors).toBeUndefined()

    const removed = await t.client(secret).data(RemoveUserMutation, { input: { userId: userGid(user.id) } })
    expect(removed.removeUserFromSubaccount.__typename).toBe('RemoveUserFromSubaccountSuccess')

    const refused = await t.client(user.token).execute(WhoAmIQuery)
    expect(refused.status).toBe(401)
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    // Just-in-time provisioning does not bring them back, even with a fresh token carrying their profile.
    const fresh = await t.services.tokens.sign({ userId: user.id, subaccountId: f.subaccountId, email: user.email })
    expect((await t.client(fresh).execute(WhoAmIQuery)).status).toBe(401)
    const { prisma } = t.services
    expect(await prisma.integration.count({ where: { userId: user.id } })).toBe(0)
    expect(await prisma.blockedSlot.count({ where: { userId: user.id } })).toBe(0)
    expect(await prisma.crmCalendarMember.count({ where: { userId: user.id } })).toBe(0)
    expect(JSON.stringify(await prisma.integration.findMany())).not.toContain(encrypted.ciphertext)

    // upsertUser re-admits them.
    await t.client(secret).data(UpsertUserMutation, { input: { crmId: user.id, email: user.email, name: 'Back' } })
    expect((await t.client(fresh).execute(WhoAmIQuery)).errors).toBeUndefined()
  })

  it('is refused for things only a user can do, and by other subaccounts’ data', async () => {
    const teamA = await createTeam(t.services)
    const teamB = await createTeam(t.services)
    const { secret } = await newKey(teamA.admin.token)
    const me = await t.client(secret).execute(WhoAmIQuery)
    expect(me.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    const other = await createUser(t.services, teamB.subaccount.id)
    const removed = await t.client(secret).data(RemoveUserMutation, { input: { userId: userGid(other.id) } })
    expect(removed.removeUserFromSubaccount.__typename).toBe('NotFoundError')
    expect((await t.client(other.token).execute(WhoAmIQuery)).errors).toBeUndefined()
  })
})

describe('appointmentsChangedSince', () => {
  it('pages through changes in a stable order and lists an appointment again when it changes', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE', members: 1 })
    const { secret } = await newKey(f.admin.token)
    const client = t.client(secret)
    const monday = upcomingMonday()
    const ids: string[] = []
    for (const hour of [9, 11, 13]) {
      const booked = await book(f, at(monday, hour), { email: `c${hour}@example.com` })
      if (booked.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(booked))
      ids.push(booked.appointment.id)
    }
    const page1 = await client.data(ChangesQuery, { first: 2 })
    expect(page1.appointmentsChangedSince.edges.map((e) => e.node.id)).toEqual(ids.slice(0, 2))
    expect(page1.appointmentsChangedSince.pageInfo.hasNextPage).toBe(true)
    const page2 = await client.data(ChangesQuery, {
      first: 2,
      after: page1.appointmentsChangedSince.pageInfo.endCursor,
    })
    expect(page2.appointmentsChangedSince.edges.map((e) => e.node.id)).toEqual(ids.slice(2))
    const cursor = page2.appointmentsChangedSince.pageInfo.endCursor
    const empty = await client.data(ChangesQuery, { after: cursor })
    expect(empty.appointmentsChangedSince.edges).toEqual([])
    expect(empty.appointmentsChangedSince.pageInfo.endCursor).toBe(cursor)

    await t.services.prisma.appointment.update({ where: { id: rawId(ids[0]!) }, data: { status: 'CANCELLED' } })
    const changed = await client.data(ChangesQuery, { after: cursor })
    expect(changed.appointmentsChangedSince.edges.map((e) => [e.node.id, e.node.status])).toEqual([
      [ids[0], 'CANCELLED'],
    ])

    const otherTeam = await createTeam(t.services)
    const { secret: otherKey } = await newKey(otherTeam.admin.token)
    expect((await t.client(otherKey).data(ChangesQuery, {})).appointmentsChangedSince.edges).toEqual([])
    const bad = await client.execute(ChangesQuery, { after: 'not-a-cursor' })
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_INPUT')
  })

  // PGlite runs one transaction at a time, so a late commit can only be staged on PostgreSQL (the CI's second pass).
  it.runIf(testDatabaseUrl)(
    'never lets a transaction that commits late fall behind a cursor (PostgreSQL)',
    async () => {
      const f = await setUpCalendar(t, { type: 'SERVICE', members: 1 })
      const { secret } = await newKey(f.admin.token)
      const client = t.client(secret)
      const monday = upcomingMonday()
      const a = await book(f, at(monday, 9), { email: 'late@example.com' })
      const b = await book(f, at(monday, 11), { email: 'early@example.com' })
      if (a.__typename !== 'BookAppointmentSuccess' || b.__typename !== 'BookAppointmentSuccess')
        throw new Error('booking')
      const start = (await client.data(ChangesQuery, {})).appointmentsChangedSince.pageInfo.endCursor
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      let written!: () => void
      const wrote = new Promise<void>((resolve) => (written = resolve))
      // A: changed first in a transaction that stays open; B: changed and committed meanwhile.
      const late = t.services.prisma.$transaction(async (tx) => {
        await tx.appointment.update({ where: { id: rawId(a.appointment.id) }, data: { title: 'late' } })
        written()
        await held
      })
      await wrote
      await t.services.prisma.appointment.update({ where: { id: rawId(b.appointment.id) }, data: { title: 'early' } })
      const during = await client.data(ChangesQuery, { after: start })
      expect(during.appointmentsChangedSince.edges).toEqual([])
      release()
      await late
      const after = await client.data(ChangesQuery, { after: during.appointmentsChangedSince.pageInfo.endCursor })
      expect(after.appointmentsChangedSince.edges.map((e) => e.node.id)).toEqual([a.appointment.id, b.appointment.id])
    },
  )
})
