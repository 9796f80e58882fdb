// Token lifetime on live transports (issue 12.6): graphql-ws refuses connection_init without a valid token (4401),
// a connection closes with 4403 when its token expires, and an SSE subscription ends with UNAUTHENTICATED.
import { print } from 'graphql'
import WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import { createTeam } from '../../support/factories.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { HeartbeatSubscription } from './documents.ts'

let t: TestApp
const heartbeat = print(HeartbeatSubscription).replace('heartbeat', 'heartbeat(intervalSeconds: 1)')
useTestApp((app) => (t = app))

interface SocketRun {
  messages: { type: string; payload?: unknown }[]
  closed: Promise<{ code: number; reason: string }>
  send(message: unknown): void
}

function openSocket(): Promise<SocketRun> {
  const socket = new WebSocket(t.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws')
  const messages: SocketRun['messages'] = []
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8')) as SocketRun['messages'][0]))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.once('open', () => resolve({ messages, closed, send: (m) => socket.send(JSON.stringify(m)) }))
  })
}

describe('graphql-ws', () => {
  it('closes with 4401 on connection_init without a valid token, never acknowledging it', async () => {
    const { user } = await createTeam(t.services)
    const expired = await t.services.tokens.sign({ userId: user.id, subaccountId: user.subaccountId }, -120)
    for (const payload of [{}, { authorization: 'Bearer garbage' }, { authorization: `Bearer ${expired}` }]) {
      const socket = await openSocket()
      socket.send({ type: 'connection_init', payload })
      expect((await socket.closed).code).toBe(4401)
      expect(socket.messages.map((m) => m.type)).not.toContain('connection_ack')
    }
  })

  it('closes the connection with 4403 when its token expires, after streaming until then', async () => {
    const { user } = await createTeam(t.services)
    const token = await t.services.tokens.sign({ userId: user.id, subaccountId: user.subaccountId }, 3)
    const socket = await openSocket()
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })
    await expect.poll(() => socket.messages[0]?.type, { timeout: 10_000 }).toBe('connection_ack')
    socket.send({ id: '1', type: 'subscribe', payload: { query: heartbeat } })
    const { code } = await socket.closed
    expect(code).toBe(4403)
    expect(socket.messages[0]?.type).toBe('connection_ack')
    expect(socket.messages.filter((m) => m.type === 'next').length).toBeGreaterThan(0)
  })
})

describe('SSE', () => {
  it('ends a subscription with an UNAUTHENTICATED error when the token expires', async () => {
    const { user } = await createTeam(t.services)
    const token = await t.services.tokens.sign({ userId: user.id, subaccountId: user.subaccountId }, 3)
    const response = await fetch(t.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: heartbeat }),
      signal: AbortSignal.timeout(30_000),
    })
    expect(response.status).toBe(200)
    const body = await response.text() // resolves only because the server ends the stream
    const events = body
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line.length > 6)
      .map((line) => JSON.parse(line.slice(6)) as { data?: unknown; errors?: { extensions?: { code?: string } }[] })
    expect(events.filter((event) => event.data).length).toBeGreaterThan(0)
    expect(events.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    expect(body).toContain('event: complete')
  })
})
