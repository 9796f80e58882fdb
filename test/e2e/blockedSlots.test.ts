import { encodeGlobalID } from '@pothos/plugin-relay'
import { describe, expect, it } from 'vitest'
import { graphql } from '../graphql/index.ts'
import { createTeam, createUser } from '../support/factories.ts'
import { useTestApp, type TestApp } from '../support/testApp.ts'
import { CreateBlockedSlot } from './blockedSlotDocuments.ts'

const DeleteBlockedSlot = graphql(`
  mutation BlockedSlotsDelete($input: DeleteBlockedSlotInput!) {
    deleteBlockedSlot(input: $input) {
      __typename
      ... on DeleteBlockedSlotSuccess {
        deletedId
      }
      ... on Error {
        code
      }
    }
  }
`)

const BlockedSlotsQuery = graphql(`
  query BlockedSlotsList($userId: ID!, $from: DateTime!, $to: DateTime!, $includeFree: Boolean) {
    blockedSlots(userId: $userId, from: $from, to: $to, includeFree: $includeFree) {
      id
      start
      end
      availability
      title
    }
  }
`)

let t: TestApp
useTestApp((app) => (t = app))

const day = (hour: number) => new Date(Date.UTC(2031, 2, 3, hour)).toISOString()

describe('CRM blocked slots', () => {
  it('creates busy and free slots, lists them by range, and hides titles from others', async () => {
    const { admin, user } = await createTeam(t.services)
    const userId = encodeGlobalID('User', user.id)
    const busy = await t.client(user.token).data(CreateBlockedSlot, {
      input: { userId, start: day(9), end: day(10), title: 'Physio' },
    })
    expect(busy.createBlockedSlot).toMatchObject({
      __typename: 'CreateBlockedSlotSuccess',
      blockedSlot: { availability: 'BUSY', source: 'CRM', title: 'Physio' },
    })
    await t.client(user.token).data(CreateBlockedSlot, {
      input: { userId, start: day(12), end: day(13), availability: 'FREE', title: 'Maybe lunch' },
    })

    const own = await t.client(user.token).data(BlockedSlotsQuery, { userId, from: day(0), to: day(23) })
    expect(own.blockedSlots.map((slot) => slot.title)).toEqual(['Physio'])
    const withFree = await t.client(user.token).data(BlockedSlotsQuery, {
      userId,
      from: day(0),
      to: day(23),
      includeFree: true,
    })
    expect(withFree.blockedSlots.map((slot) => slot.availability)).toEqual(['BUSY', 'FREE'])
    const outside = await t.client(user.token).data(BlockedSlotsQuery, { userId, from: day(10), to: day(12) })
    expect(outside.blockedSlots).toEqual([])

    const asAdmin = await t.client(admin.token).data(BlockedSlotsQuery, { userId, from: day(0), to: day(23) })
    expect(asAdmin.blockedSlots).toHaveLength(1)
    expect(asAdmin.blockedSlots[0]?.title).toBeNull()
  })

  it('refuses other users and other subaccounts, and changes nothing', async () => {
    const { subaccount, user } = await createTeam(t.services)
    const colleague = await createUser(t.services, subaccount.id)
    const stranger = (await createTeam(t.services)).admin
    const userId = encodeGlobalID('User', user.id)
    for (const token of [colleague.token, stranger.token]) {
      const result = await t.client(token).data(CreateBlockedSlot, { input: { userId, start: day(9), end: day(10) } })
      expect(result.createBlockedSlot).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' })
      const read = await t.client(token).execute(BlockedSlotsQuery, { userId, from: day(0), to: day(23) })
      expect(read.data?.blockedSlots ?? null).toBeNull()
    }
    expect(await t.services.prisma.blockedSlot.count({ where: { userId: user.id } })).toBe(0)
  })

  it('returns a typed validation error for an inverted range', async () => {
    const { user } = await createTeam(t.services)
    const result = await t.client(user.token).data(CreateBlockedSlot, {
      input: { userId: encodeGlobalID('User', user.id), start: day(10), end: day(9) },
    })
    expect(result.createBlockedSlot).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'end'], message: '`start` must be before `end`' }],
    })
    expect(await t.services.prisma.blockedSlot.count({ where: { userId: user.id } })).toBe(0)
  })

  it('deletes CRM slots but never iCloud ones', async () => {
    const { subaccount, user } = await createTeam(t.services)
    const userId = encodeGlobalID('User', user.id)
    const created = await t.client(user.token).data(CreateBlockedSlot, {
      input: { userId, start: day(9), end: day(10) },
    })
    if (created.createBlockedSlot.__typename !== 'CreateBlockedSlotSuccess') throw new Error('not created')
    const id = created.createBlockedSlot.blockedSlot.id
    const deleted = await t.client(user.token).data(DeleteBlockedSlot, { input: { id } })
    expect(deleted.deleteBlockedSlot).toEqual({ __typename: 'DeleteBlockedSlotSuccess', deletedId: id })

    const fromICloud = await t.services.prisma.blockedSlot.create({
      data: { userId: user.id, subaccountId: subaccount.id, start: day(11), end: day(12), source: 'ICLOUD' },
    })
    const refused = await t.client(user.token).data(DeleteBlockedSlot, {
      input: { id: encodeGlobalID('BlockedSlot', fromICloud.id) },
    })
    expect(refused.deleteBlockedSlot).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' })
    expect(await t.services.prisma.blockedSlot.count({ where: { id: fromICloud.id } })).toBe(1)
  })
})
