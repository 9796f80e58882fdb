// An idempotency key makes a retry of the same booking safe; reused for a different booking it is refused, and it
// never reveals another subaccount's appointment.
import { describe, expect, it } from 'vitest'
import { createTeam } from '../../support/factories.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, book, setUpCalendar, upcomingMonday } from './support.ts'

let t: TestApp

useTestApp((app) => (t = app))

describe('bookAppointment idempotencyKey', () => {
  it('returns the same appointment for the same request and refuses a different one', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const first = await book(f, at(monday, 10), { idempotencyKey: 'retry-me' })
    if (first.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(first))

    const retry = await book(f, at(monday, 10), { idempotencyKey: 'retry-me', email: 'ADA@example.com' })
    expect(retry.__typename === 'BookAppointmentSuccess' && retry.appointment.id).toBe(first.appointment.id)

    const otherStart = await book(f, at(monday, 11), { idempotencyKey: 'retry-me' })
    expect(otherStart).toMatchObject({ __typename: 'IdempotencyKeyReusedError', code: 'IDEMPOTENCY_KEY_REUSED' })
    const otherContact = await book(f, at(monday, 10), { idempotencyKey: 'retry-me', email: 'grace@example.com' })
    expect(otherContact).toMatchObject({ __typename: 'IdempotencyKeyReusedError', code: 'IDEMPOTENCY_KEY_REUSED' })
    expect(await t.services.prisma.appointment.count({ where: { calendarId: first.appointment.id } })).toBe(0)
    expect(await t.services.prisma.appointment.count({ where: { subaccountId: f.subaccountId } })).toBe(1)
  })

  it('checks the subaccount before the key: another subaccount learns nothing', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const first = await book(f, at(monday, 10), { idempotencyKey: 'secret-key' })
    expect(first.__typename).toBe('BookAppointmentSuccess')
    const stranger = t.client((await createTeam(t.services)).admin.token)
    const probe = await book(f, at(monday, 10), { idempotencyKey: 'secret-key', client: stranger })
    expect(probe).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' })
  })
})
