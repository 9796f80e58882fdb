// SSRF guard for webhook URLs: an endpoint must be a public address. Checked at registration (every address the name
// resolves to) and again at delivery, where the HTTP request connects only to the address that passed the check
// (safeLookup), so a name that re-resolves to 127.0.0.1 later (DNS rebinding) cannot reach the inside.
import { lookup as dnsLookup } from 'node:dns'
import { promises as dns } from 'node:dns'
import type { LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'
import { InvalidWebhookUrlError, UnsafeWebhookUrlError } from './errors.ts'

export interface UrlPolicy {
  /** WEBHOOK_ALLOW_PRIVATE: accept loopback and private addresses (tests, on-premise CRMs). */
  allowPrivate: boolean
  /** Production refuses plain http. */
  requireHttps: boolean
}

/** Only globally routable unicast addresses; ipaddr.js names every special range (RFC 6890) otherwise. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  let parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address()
  }
  return parsed.range() === 'unicast'
}

export function parseWebhookUrl(raw: string, policy: UrlPolicy): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new InvalidWebhookUrlError('The webhook URL is not a valid absolute URL.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidWebhookUrlError('The webhook URL must use https (or http outside production).')
  }
  if (url.protocol === 'http:' && policy.requireHttps) {
    throw new InvalidWebhookUrlError('The webhook URL must use https.')
  }
  if (url.username || url.password) {
    throw new InvalidWebhookUrlError('The webhook URL must not contain credentials; verify the signature instead.')
  }
  if (raw.length > 2000) throw new InvalidWebhookUrlError('The webhook URL is too long (2000 characters at most).')
  return url
}

/** Registration: the URL's host and every address it resolves to must be public. */
export async function assertSafeWebhookUrl(raw: string, policy: UrlPolicy): Promise<URL> {
  const url = parseWebhookUrl(raw, policy)
  if (policy.allowPrivate) return url
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  if (ipaddr.isValid(host)) addresses = [host]
  else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)
    } catch {
      throw new InvalidWebhookUrlError(`The webhook host ${host} does not resolve.`)
    }
  }
  const refused = addresses.find((address) => !isPublicAddress(address))
  if (refused !== undefined) {
    throw new UnsafeWebhookUrlError(
      `The webhook URL points to ${refused}, a loopback, private or link-local address; only public addresses are allowed.`,
    )
  }
  return url
}

/** A `lookup` for http.request that refuses non-public addresses at connection time. */
export function safeLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, results) => {
      if (error) return callback(error, '', 4)
      const entries = results
      const allowed = allowPrivate ? entries : entries.filter((entry) => isPublicAddress(entry.address))
      if (allowed.length === 0) {
        const refused = entries[0]?.address ?? hostname
        return callback(new UnsafeWebhookUrlError(`Refused to connect to ${refused}: not a public address.`), '', 4)
      }
      if (options.all) return callback(null, allowed)
      callback(null, allowed[0]!.address, allowed[0]!.family)
    })
  }
}
