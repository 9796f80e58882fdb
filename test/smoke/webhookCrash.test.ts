// At-least-once across a crash: the server process is killed with SIGKILL while a webhook request is in flight (the
// receiver holds it unanswered); after a restart on the same database the delivery's lease expires and it is sent
// again, with the same event id and a valid signature. Real processes, a real receiver, PGlite in DATA_DIR (or a
// fresh PostgreSQL database when TEST_DATABASE_URL is set).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateEncryptionKey } from '../../src/security/secrets.ts'
import { registerEndpoint, startReceiver, verify, type Receiver } from '../e2e/webhooks/support.ts'
import { GraphQLTestClient } from '../support/graphqlClient.ts'

const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? null
const databaseName = `webhook_crash_${randomBytes(5).toString('hex')}`
let dataDir: string
let receiver: Receiver
let child: ChildProcess | null = null
let env: Record<string, string>

async function adminQuery(sql: string) {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: testDatabaseUrl! })
  await client.connect()
  await client.query(sql)
  await client.end()
}

function start(ready = /"url":"http/): Promise<{ url: string; output: () => string }> {
  let output = ''
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  child = proc
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 120_000
    const poll = setInterval(() => {
      const match = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(output)
      if (match && ready.test(output)) {
        clearInterval(poll)
        resolve({ url: match[1]!, output: () => output })
      } else if (Date.now() > deadline || proc.exitCode !== null) {
        clearInterval(poll)
        reject(new Error(`server did not start:\n${output}`))
      }
    }, 100)
  })
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'webhook-crash-'))
  receiver = await startReceiver()
  if (testDatabaseUrl) await adminQuery(`CREATE DATABASE "${databaseName}"`)
  env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEYS: generateEncryptionKey('crash'),
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // The lease of a claimed delivery is 2 × timeout + 5 s: 15 s here.
    WEBHOOK_TIMEOUT_MS: '5000',
    ...(testDatabaseUrl ? { DATABASE_URL: testDatabaseUrl.replace(/\/[^/?]+(\?|$)/, `/${databaseName}$1`) } : {}),
  }
})

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  await receiver?.close()
  await rm(dataDir, { recursive: true, force: true })
  if (testDatabaseUrl) await adminQuery(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`)
})

const SlotsQuery = `query ($calendarId: ID!, $from: DateTime!, $to: DateTime!) {
  availability(calendarId: $calendarId, from: $from, to: $to, timeZone: "UTC") { slots { start } }
}`
const CalendarsQuery = `{ viewer { subaccount { crmCalendars(first: 10) { edges { node { id type } } } } } }`
const BookMutation = `mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }`

describe('webhook delivery across kill -9', () => {
  it('delivers after a restart with the same event id', async () => {
    const first = await start(/demo admin admin@demo\.example: Authorization/)
    const [, token] = /demo admin admin@demo\.example: Authorization: Bearer (\S+)/.exec(first.output())!
    const client = new GraphQLTestClient(`${first.url}/graphql`, token!)
    const { secret } = await registerEndpoint(client, receiver.url, ['APPOINTMENT_BOOKED'])

    type Calendars = { viewer: { subaccount: { crmCalendars: { edges: { node: { id: string; type: string } }[] } } } }
    const calendars = await client.data<Calendars, Record<string, never>>(CalendarsQuery)
    const calendarId = calendars.viewer.subaccount.crmCalendars.edges.find((e) => e.node.type === 'SERVICE')!.node.id
    const from = new Date(Date.now() + 2 * 86_400_000)
    const slots = await client.data<{ availability: { slots: { start: string }[] } }, Record<string, string>>(
      SlotsQuery,
      { calendarId, from: from.toISOString(), to: new Date(from.getTime() + 7 * 86_400_000).toISOString() },
    )
    receiver.answers.push('hang')
    const booked = await client.data<{ bookAppointment: { __typename: string } }, Record<string, unknown>>(
      BookMutation,
      { input: { calendarId, start: slots.availability.slots[0]!.start, contact: { name: 'Ada', email: 'a@x.io' } } },
    )
    expect(booked.bookAppointment.__typename).toBe('BookAppointmentSuccess')

    // The worker of this process sends it at once; the receiver keeps it waiting, and the process dies.
    const [inFlight] = await receiver.waitFor(1, 60_000)
    const killed = new Promise((resolve) => child!.once('exit', resolve))
    child!.kill('SIGKILL')
    await killed

    await start()
    const [, again] = await receiver.waitFor(2, 90_000)
    expect(again!.headers['webhook-id']).toBe(inFlight!.headers['webhook-id'])
    expect(verify(secret, again!)).toEqual(inFlight!.json)
    expect(again!.json.type).toBe('appointment.booked')
    child!.kill('SIGTERM')
  }, 300_000)
})
