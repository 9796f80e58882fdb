// One POST of a webhook: node:http(s) rather than fetch, because only http.request lets the connection use the
// address the SSRF check accepted (safeLookup) instead of resolving the name again. Bounded by a timeout covering
// connect, headers and body; the receiver's answer is read (at most 4 KiB) and thrown away.
import http from 'node:http'
import https from 'node:https'
import ipaddr from 'ipaddr.js'
import { UnsafeWebhookUrlError } from './errors.ts'
import { isPublicAddress, safeLookup } from './urlSafety.ts'

const MAX_RESPONSE_BYTES = 4096

export interface PostResult {
  status: number
  body: string
}

export class WebhookTimeoutError extends Error {}

export function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<PostResult> {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  // A literal address never goes through `lookup`.
  if (!options.allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) {
    return Promise.reject(new UnsafeWebhookUrlError(`Refused to connect to ${host}: not a public address.`))
  }
  const request = url.protocol === 'https:' ? https.request : http.request
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      lookup: safeLookup(options.allowPrivate),
      agent: false,
    })
    const timer = setTimeout(() => {
      req.destroy(new WebhookTimeoutError(`No answer within ${options.timeoutMs} ms.`))
    }, options.timeoutMs)
    req.on('response', (res) => {
      let received = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        if (received.length < MAX_RESPONSE_BYTES) received += chunk
      })
      res.on('end', () => {
        clearTimeout(timer)
        resolve({ status: res.statusCode ?? 0, body: received.slice(0, MAX_RESPONSE_BYTES) })
      })
      res.on('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
    })
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    req.end(body)
  })
}
