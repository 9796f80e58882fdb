// Webhooks end to end: an admin registers a real HTTP receiver; bookings, reschedules and cancellations arrive signed
// per Standard Webhooks (checked with the standardwebhooks package's verify); a 500 and a timeout are retried with
// the same event id; rotation signs with both secrets; redelivery, disabling, giving up and auto-disabling.
import { describe, expect, it } from 'vitest'
import { useStarted } from '../../support/lifecycle.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import {
  at,
  book,
  CancelAppointment,
  rawId,
  RescheduleAppointment,
  setUpCalendar,
  upcomingMonday,
  type Fixture,
} from '../scheduling/support.ts'
import {
  drainWebhooks,
  makeDeliveriesDue,
  RedeliverWebhook,
  registerEndpoint,
  RotateWebhookSecret,
  startReceiver,
  UpdateWebhookEndpoint,
  verify,
  WebhookEndpointsQuery,
  type Receiver,
} from './support.ts'

let t: TestApp
let receiver: Receiver
let f: Fixture
let endpoint: { endpointId: string; secret: string }

useStarted(startReceiver, (started) => (receiver = started))
useTestApp(
  async (app) => {
    t = app
    f = await setUpCalendar(t, { type: 'SERVICE' })
    endpoint = await registerEndpoint(f.adminClient, receiver.url, [
      'APPOINTMENT_BOOKED',
      'APPOINTMENT_RESCHEDULED',
      'APPOINTMENT_CANCELLED',
    ])
  },
  { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1000' },
)

async function bookAt(hour: number, dayOffset = 0) {
  const booked = await book(f, at(upcomingMonday().plus({ days: dayOffset }), hour))
  if (booked.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(booked))
  return booked.appointment
}

async function deliveries() {
  const data = await f.adminClient.data(WebhookEndpointsQuery, { first: 50 })
  return data.webhookEndpoints.find((e) => e.id === endpoint.endpointId)!.deliveries.edges.map((e) => e.node)
}

describe('webhook delivery', () => {
  it('shows the secret once, and only admins manage endpoints', async () => {
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    const listed = (await f.adminClient.data(WebhookEndpointsQuery, {})).webhookEndpoints
    expect(listed).toEqual([
      expect.objectContaining({
        id: endpoint.endpointId,
        url: receiver.url,
        description: 'CRM backend',
        enabled: true,
        eventTypes: ['APPOINTMENT_BOOKED', 'APPOINTMENT_RESCHEDULED', 'APPOINTMENT_CANCELLED'],
      }),
    ])
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret)
    const stored = await t.services.prisma.webhookEndpoint.findUniqueOrThrow({
      where: { id: rawId(endpoint.endpointId) },
    })
    expect(JSON.stringify(stored)).not.toContain(endpoint.secret.slice(6))

    const asUser = t.client(f.members[0]!.user.token)
    const response = await asUser.execute(WebhookEndpointsQuery, {})
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
  })

  it('delivers booked, rescheduled and cancelled, signed, in the shape of the catalogue', async () => {
    const appointment = await bookAt(9)
    const rescheduled = await f.adminClient.data(RescheduleAppointment, {
      input: { appointmentId: appointment.id, start: at(upcomingMonday(), 11) },
    })
    expect(rescheduled.rescheduleAppointment.__typename).toBe('RescheduleAppointmentSuccess')
    const cancelled = await f.adminClient.data(CancelAppointment, {
      input: { appointmentId: appointment.id, reason: 'Client asked' },
    })
    expect(cancelled.cancelAppointment.__typename).toBe('CancelAppointmentSuccess')
    // Recorded in the business transactions; nothing was sent yet (the worker is off in tests).
    expect(receiver.received).toHaveLength(0)

    expect(await drainWebhooks(t)).toBe(3)
    const got = await receiver.waitFor(3)
    for (const webhook of got) {
      expect(verify(endpoint.secret, webhook)).toEqual(webhook.json)
      expect(webhook.headers['webhook-id']).toBe(webhook.json.id)
      expect(webhook.headers['content-type']).toBe('application/json')
    }
    const byType = Object.fromEntries(got.map((w) => [w.json.type, w.json.data]))
    expect(Object.keys(byType).sort()).toEqual([
      'appointment.booked',
      'appointment.cancelled',
      'appointment.rescheduled',
    ])
    expect(byType['appointment.booked']).toMatchObject({
      appointment: {
        id: appointment.id,
        calendarId: f.calendarId,
        status: 'BOOKED',
        start: new Date(at(upcomingMonday(), 9)).toISOString(),
        contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
      },
    })
    expect(byType['appointment.rescheduled']).toMatchObject({
      before: { start: new Date(at(upcomingMonday(), 9)).toISOString() },
      after: { start: new Date(at(upcomingMonday(), 11)).toISOString() },
      appointment: { start: new Date(at(upcomingMonday(), 11)).toISOString() },
    })
    expect(byType['appointment.cancelled']).toMatchObject({
      reason: 'Client asked',
      appointment: { status: 'CANCELLED' },
    })
    const listed = await deliveries()
    expect(listed.filter((d) => d.status === 'DELIVERED')).toHaveLength(3)
    expect(listed[0]).toMatchObject({ attempts: 1, lastHttpStatus: 204, lastError: null, nextAttemptAt: null })
  })

  it('retries a 500 later with the same event id and signature scheme', async () => {
    receiver.received.length = 0
    receiver.answers.push(500)
    await bookAt(13)
    await drainWebhooks(t)
    await receiver.waitFor(1)
    const [failed] = await deliveries()
    expect(failed).toMatchObject({ status: 'PENDING', attempts: 1, lastHttpStatus: 500 })
    expect(failed!.lastError).toContain('receiver says no')
    // Back-off: not due again for a while (at least half of the first 30 s step).
    expect(new Date(failed!.nextAttemptAt!).getTime()).toBeGreaterThan(Date.now() + 10_000)
    expect(await drainWebhooks(t)).toBe(0)

    await makeDeliveriesDue(t)
    expect(await drainWebhooks(t)).toBe(1)
    const [first, second] = await receiver.waitFor(2)
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id'])
    expect(verify(endpoint.secret, second!)).toEqual(first!.json)
    expect((await deliveries())[0]).toMatchObject({ status: 'DELIVERED', attempts: 2, lastHttpStatus: 204 })
  })

  it('gives up waiting after the timeout and retries', async () => {
    receiver.received.length = 0
    receiver.answers.push('hang')
    await bookAt(15)
    await drainWebhooks(t)
    const [timedOut] = await deliveries()
    expect(timedOut).toMatchObject({ status: 'PENDING', attempts: 1, lastHttpStatus: null })
    expect(timedOut!.lastError).toMatch(/Timed out/)
    await makeDeliveriesDue(t)
    await drainWebhooks(t)
    const [first, second] = await receiver.waitFor(2)
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id'])
    expect((await deliveries())[0]).toMatchObject({ status: 'DELIVERED', attempts: 2 })
  })

  it('signs with the old and the new secret for a day after a rotation', async () => {
    const rotated = await f.adminClient.data(RotateWebhookSecret, { input: { webhookEndpointId: endpoint.endpointId } })
    if (rotated.rotateWebhookSecret.__typename !== 'RotateWebhookSecretSuccess') throw new Error('rotate failed')
    const newSecret = rotated.rotateWebhookSecret.signingSecret
    expect(newSecret).not.toBe(endpoint.secret)
    receiver.received.length = 0
    await bookAt(9, 1)
    await drainWebhooks(t)
    const [webhook] = await receiver.waitFor(1)
    expect(webhook!.headers['webhook-signature']!.split(' ')).toHaveLength(2)
    expect(verify(newSecret, webhook!)).toEqual(webhook!.json)
    expect(verify(endpoint.secret, webhook!)).toEqual(webhook!.json)
    expect(() => verify(`whsec_${Buffer.alloc(24, 7).toString('base64')}`, webhook!)).toThrow()
    endpoint = { ...endpoint, secret: newSecret }
  })

  it('redelivers a delivered event with the same id', async () => {
    receiver.received.length = 0
    const [latest] = await deliveries()
    const redelivered = await f.adminClient.data(RedeliverWebhook, { input: { deliveryId: latest!.id } })
    expect(redelivered.redeliverWebhook).toMatchObject({ webhookDelivery: { status: 'PENDING' } })
    await drainWebhooks(t)
    const [again] = await receiver.waitFor(1)
    expect(again!.headers['webhook-id']).toBe(latest!.eventId)
    expect((await deliveries())[0]).toMatchObject({ status: 'DELIVERED' })
  })

  it('sends nothing to a disabled endpoint, and again once re-enabled', async () => {
    const disabled = await f.adminClient.data(UpdateWebhookEndpoint, {
      input: { webhookEndpointId: endpoint.endpointId, enabled: false },
    })
    expect(disabled.updateWebhookEndpoint).toMatchObject({
      webhookEndpoint: { enabled: false, disabledReason: 'Disabled by an admin.' },
    })
    const before = (await deliveries()).length
    await bookAt(11, 1)
    expect(await deliveries()).toHaveLength(before)
    const enabled = await f.adminClient.data(UpdateWebhookEndpoint, {
      input: { webhookEndpointId: endpoint.endpointId, enabled: true, description: 'CRM backend (prod)' },
    })
    expect(enabled.updateWebhookEndpoint).toMatchObject({
      webhookEndpoint: { enabled: true, disabledReason: null, description: 'CRM backend (prod)' },
    })
    await bookAt(13, 1)
    expect(await deliveries()).toHaveLength(before + 1)
    await drainWebhooks(t)
  })

  it('gives up after the retry window, and disables an endpoint failing for days with the reason', async () => {
    receiver.answers.push(503, 503)
    await bookAt(15, 1)
    // An event a day old: the next retry would fall outside the window.
    await t.services.prisma.webhookEvent.updateMany({
      where: { deliveries: { some: { state: 'PENDING' } } },
      data: { createdAt: new Date(Date.now() - 24 * 60 * 60_000) },
    })
    await drainWebhooks(t)
    const [gaveUp] = await deliveries()
    expect(gaveUp).toMatchObject({ status: 'FAILED', attempts: 1, lastHttpStatus: 503, nextAttemptAt: null })
    expect(gaveUp!.lastError).toMatch(/Gave up after 1 attempts/)

    // Failing since six days (more than WEBHOOK_DISABLE_AFTER_DAYS=5): the next failure disables it.
    await t.services.prisma.webhookEndpoint.update({
      where: { id: rawId(endpoint.endpointId) },
      data: { failingSince: new Date(Date.now() - 6 * 24 * 60 * 60_000) },
    })
    await bookAt(9, 2)
    await drainWebhooks(t)
    const [listed] = (await f.adminClient.data(WebhookEndpointsQuery, {})).webhookEndpoints
    expect(listed).toMatchObject({ enabled: false })
    expect(listed!.disabledReason).toMatch(/every delivery failed for 5 days \(last: HTTP 503/)
  })

  it('pages through deliveries', async () => {
    const first = (await f.adminClient.data(WebhookEndpointsQuery, { first: 2 })).webhookEndpoints[0]!.deliveries
    expect(first.edges).toHaveLength(2)
    expect(first.pageInfo.hasNextPage).toBe(true)
    const next = (await f.adminClient.data(WebhookEndpointsQuery, { first: 2, after: first.pageInfo.endCursor }))
      .webhookEndpoints[0]!.deliveries
    expect(next.edges[0]!.node.id).not.toBe(first.edges[1]!.node.id)
  })
})
