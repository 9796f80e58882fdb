// SIGTERM drains the real process: a slow connectICloud in flight (the CalDAV server takes seconds to answer)
// completes with 200 while new connections are refused, idle keep-alive sockets and WebSockets (code 1001) are
// closed, and the process exits 0.
import { mkdtemp, rm } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startICloudServer, type ICloudTestServer } from '../support/caldav/icloud/index.ts'
import { spawnServer, type ServerProcess } from '../support/serverProcess.ts'

const appleId = 'drain@icloud.test'
const appSpecificPassword = 'abcd-efgh-ijkl-mnop'
const CALDAV_DELAY_MS = 1_000

let icloud: ICloudTestServer
let dataDir: string
let server: ServerProcess
let baseUrl: string
let token: string

beforeAll(async () => {
  icloud = await startICloudServer()
  await icloud.addAccount({ appleId, appSpecificPassword })
  dataDir = await mkdtemp(path.join(tmpdir(), 'shutdown-test-'))
  server = spawnServer({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    ICLOUD_CALDAV_URL: icloud.entryUrl,
    ROLE: 'api',
    // Generous: the slow connect must finish well inside it even on a loaded machine.
    SHUTDOWN_DRAIN_MS: '30000',
  })
  baseUrl = await server.started()
  const [, admin] = await server.waitFor(/demo admin admin@demo\.example: Authorization: Bearer (\S+)/, 30_000)
  token = admin!
})

afterAll(async () => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL')
  await icloud?.stop()
  await rm(dataDir, { recursive: true, force: true })
})

function graphqlRequest(query: string, variables: Record<string, unknown>, agent?: Agent) {
  return new Promise<{ status: number; body: string; socketClosed: Promise<void> }>((resolve, reject) => {
    const req = request(
      `${baseUrl}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, socketClosed }))
      },
    )
    const socketClosed = new Promise<void>((done) => req.once('socket', (socket) => socket.once('close', () => done())))
    req.once('error', reject)
    req.end(JSON.stringify({ query, variables }))
  })
}

function openWebSocket(): Promise<{ closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws')
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)))
    ws.once('error', reject)
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    )
    ws.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'connection_ack') resolve({ closed })
    })
  })
}

function connectionRefused(): Promise<boolean> {
  const { port } = new URL(baseUrl)
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

describe('SIGTERM', () => {
  it('lets a slow request finish, refuses new connections, closes idle sockets and WebSockets, then exits 0', async () => {
    const keepAlive = new Agent({ keepAlive: true })
    const idle = await graphqlRequest('{ viewer { role } }', {}, keepAlive)
    expect(idle.status).toBe(200)
    const ws = await openWebSocket()

    icloud.quirks.delayMs = CALDAV_DELAY_MS
    const slow = graphqlRequest(
      'mutation ($input: ConnectICloudInput!) { connectICloud(input: $input) { __typename } }',
      { input: { appleId, appSpecificPassword } },
    )
    // The connect is now waiting on the CalDAV server.
    for (let i = 0; i < 100 && icloud.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(icloud.requests.length).toBeGreaterThan(0)

    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)))
    server.child.kill('SIGTERM')
    await server.waitFor(/shutting down/, 10_000)

    expect(await ws.closed).toBe(1001)
    await idle.socketClosed // the idle keep-alive socket was closed by the server
    expect(await connectionRefused()).toBe(true)
    const answered = await slow
    expect(answered.status).toBe(200)
    expect(JSON.parse(answered.body)).toEqual({ data: { connectICloud: { __typename: 'ConnectICloudSuccess' } } })
    expect(server.child.exitCode).toBeNull() // still draining while the answer came
    expect(await exited).toBe(0)
    keepAlive.destroy()
  })
})
