// MAX_REQUEST_BYTES holds however the body arrives: with a Content-Length, chunked (no length) over plain HTTP, and
// for an SSE subscription request. WebSocket frames are limited by the socket's maxPayload (close 1009).
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createTeam } from '../../support/factories.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'

let t: TestApp
let token: string

useTestApp(async (app) => {
  t = app
  token = (await createTeam(t.services)).user.token
})

/** POSTs `totalBytes` of JSON in 64 KiB chunks with `Transfer-Encoding: chunked` (no Content-Length). */
function postChunked(totalBytes: number, accept: string): Promise<{ status: number; body: string }> {
  const head = '{"query":"{ viewer { role } }","variables":{"pad":"'
  const tail = '"}}'
  return new Promise((resolve, reject) => {
    // A connection of its own: the server stops reading a refused body, so the socket cannot be reused.
    const req = request(t.graphqlUrl, {
      agent: false,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${token}` },
    })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', reject)
    })
    // The server may answer and close before the whole body is sent: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error)
    })
    // Written without waiting for 'drain': a server that stops reading must still answer.
    req.write(head)
    const chunk = 'x'.repeat(65_536)
    for (let sent = head.length + tail.length; sent < totalBytes; sent += chunk.length) {
      req.write(chunk.slice(0, Math.min(chunk.length, totalBytes - sent)))
    }
    req.end(tail)
  })
}

describe('request body limit (MAX_REQUEST_BYTES, default 100,000 bytes)', () => {
  it('refuses a 2 MB chunked POST with 413 before executing it', async () => {
    const result = await postChunked(2_000_000, 'application/graphql-response+json, application/json')
    expect(result.status).toBe(413)
    expect(JSON.parse(result.body)).toMatchObject({ errors: [{ extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] })
    expect(result.body).not.toContain('"role"')
  })

  it('refuses a 2 MB chunked SSE subscription request with 413', async () => {
    const result = await postChunked(2_000_000, 'text/event-stream')
    expect(result.status).toBe(413)
    expect(result.body).not.toContain('"role"')
  })

  it('still accepts a chunked POST under the limit', async () => {
    const result = await postChunked(50_000, 'application/graphql-response+json, application/json')
    expect(result.status).toBe(200)
    expect(JSON.parse(result.body)).toEqual({ data: { viewer: { role: 'USER' } } })
  })

  it('refuses a body whose Content-Length is over the limit with 413', async () => {
    const response = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ viewer { role } }`, variables: { pad: 'x'.repeat(200_000) } }),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] })
  })
})
