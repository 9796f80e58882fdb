// SSRF: without WEBHOOK_ALLOW_PRIVATE, endpoints on loopback, private and link-local addresses are refused at
// registration (also a name that resolves there), and a delivery to such an address is refused at connection time
// even if the row got in (a name that pointed elsewhere at registration): the receiver hears nothing.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encryptSigningSecret, generateSigningSecret } from '../../../src/webhooks/signing.ts'
import { useStarted } from '../../support/lifecycle.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { at, book, setUpCalendar, upcomingMonday, type Fixture } from '../scheduling/support.ts'
import { CreateWebhookEndpoint, drainWebhooks, startReceiver, type Receiver } from './support.ts'

let t: TestApp
let receiver: Receiver
let f: Fixture

useStarted(startReceiver, (started) => (receiver = started))
useTestApp(
  async (app) => {
    t = app
    f = await setUpCalendar(t, { type: 'SERVICE' })
  },
  { WEBHOOK_ALLOW_PRIVATE: 'false' },
)

describe('webhook SSRF guard', () => {
  it.each([
    ['loopback', () => receiver.url],
    ['a name resolving to loopback', () => receiver.url.replace('127.0.0.1', 'localhost')],
    ['link-local (cloud metadata)', () => 'http://169.254.169.254/latest/meta-data/'],
    ['private', () => 'http://192.168.0.10/hooks'],
    ['IPv6 loopback', () => 'http://[::1]:8080/hooks'],
  ])('refuses %s at registration and stores nothing', async (_name, url) => {
    const data = await f.adminClient.data(CreateWebhookEndpoint, {
      input: { url: url(), eventTypes: ['APPOINTMENT_BOOKED'] },
    })
    expect(data.createWebhookEndpoint).toMatchObject({ __typename: 'UnsafeWebhookUrl', code: 'UNSAFE_WEBHOOK_URL' })
    expect(await t.services.prisma.webhookEndpoint.count({ where: { subaccountId: f.subaccountId } })).toBe(0)
  })

  it('refuses a malformed URL with a typed error', async () => {
    const data = await f.adminClient.data(CreateWebhookEndpoint, {
      input: { url: 'not a url', eventTypes: ['APPOINTMENT_BOOKED'] },
    })
    expect(data.createWebhookEndpoint).toMatchObject({ __typename: 'InvalidWebhookUrl', code: 'INVALID_WEBHOOK_URL' })
  })

  it('refuses to connect to a private address at delivery time', async () => {
    // As if the name resolved to a public address at registration and to loopback now (DNS rebinding).
    const id = randomUUID()
    const secret = encryptSigningSecret(t.services, id, generateSigningSecret())
    await t.services.prisma.webhookEndpoint.create({
      data: {
        id,
        subaccountId: f.subaccountId,
        url: receiver.url.replace('127.0.0.1', 'localhost'),
        eventTypes: ['appointment.booked'],
        secretCiphertext: secret.ciphertext,
        secretKeyId: secret.keyId,
      },
    })
    const booked = await book(f, at(upcomingMonday(), 10))
    expect(booked.__typename).toBe('BookAppointmentSuccess')
    await drainWebhooks(t)
    const delivery = await t.services.prisma.webhookDelivery.findFirstOrThrow({
      where: { endpoint: { subaccountId: f.subaccountId } },
    })
    expect(delivery).toMatchObject({ state: 'PENDING', attempts: 1, lastHttpStatus: null })
    expect(delivery.lastError).toMatch(/not a public address/)
    expect(receiver.received).toHaveLength(0)
  })
})
