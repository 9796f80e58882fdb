// The SSRF guard's address classification and its connection-time lookup, on real DNS resolution of `localhost`.
import { describe, expect, it } from 'vitest'
import { UnsafeWebhookUrlError } from '../../../src/webhooks/errors.ts'
import { assertSafeWebhookUrl, isPublicAddress, safeLookup } from '../../../src/webhooks/urlSafety.ts'

const strict = { allowPrivate: false, requireHttps: false }

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.9.9.9',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false)
  })

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true)
  })
})

describe('assertSafeWebhookUrl', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://[::1]/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://10.0.0.7/hook',
    'http://[::ffff:7f00:1]/hook',
  ])('refuses %s', async (url) => {
    await expect(assertSafeWebhookUrl(url, strict)).rejects.toBeInstanceOf(UnsafeWebhookUrlError)
  })

  it('accepts private addresses when allowed, and refuses http in production', async () => {
    await expect(assertSafeWebhookUrl('http://127.0.0.1/h', { ...strict, allowPrivate: true })).resolves.toBeTruthy()
    await expect(assertSafeWebhookUrl('http://8.8.8.8/h', { ...strict, requireHttps: true })).rejects.toMatchObject({
      code: 'INVALID_WEBHOOK_URL',
    })
    await expect(assertSafeWebhookUrl('ftp://8.8.8.8/h', strict)).rejects.toMatchObject({
      code: 'INVALID_WEBHOOK_URL',
    })
    await expect(assertSafeWebhookUrl('https://user:pw@8.8.8.8/h', strict)).rejects.toMatchObject({
      code: 'INVALID_WEBHOOK_URL',
    })
  })
})

describe('safeLookup (connection time)', () => {
  const lookup = (allowPrivate: boolean, all: boolean) =>
    new Promise<unknown>((resolve, reject) =>
      safeLookup(allowPrivate)('localhost', { all }, (error, address) => (error ? reject(error) : resolve(address))),
    )

  it('refuses a name that resolves to loopback, unless allowed', async () => {
    await expect(lookup(false, false)).rejects.toBeInstanceOf(UnsafeWebhookUrlError)
    await expect(lookup(false, true)).rejects.toBeInstanceOf(UnsafeWebhookUrlError)
    expect(await lookup(true, false)).toMatch(/^(127\.0\.0\.1|::1)$/)
  })
})
