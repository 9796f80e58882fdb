// The README's first command, as a process: a fresh data dir, demo tokens on first start, GraphiQL, SIGTERM.
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GraphQLTestClient } from '../support/graphqlClient.ts'
import { spawnServer, type ServerProcess } from '../support/serverProcess.ts'

let dataDir: string
let server: ServerProcess
let baseUrl: string

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'process-test-'))
  server = spawnServer({ NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir })
  baseUrl = await server.started()
})

afterAll(async () => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL')
  await rm(dataDir, { recursive: true, force: true })
})

describe('npm start on a fresh machine', () => {
  it('prints demo tokens that read the viewer and CRM calendars', async () => {
    const [, token] = await server.waitFor(/demo admin admin@demo\.example: Authorization: Bearer (\S+)/, 30_000)
    const client = new GraphQLTestClient(`${baseUrl}/graphql`, token!)
    const data = await client.data<
      { viewer: { user: { email: string }; subaccount: { crmCalendars: { edges: { node: { type: string } }[] } } } },
      Record<string, never>
    >(`{ viewer { user { email } subaccount { crmCalendars(first: 10) { edges { node { type } } } } } }`)
    expect(data.viewer.user.email).toBe('admin@demo.example')
    expect(data.viewer.subaccount.crmCalendars.edges.map((edge) => edge.node.type).sort()).toEqual([
      'CLASS_BOOKING',
      'COLLECTIVE',
      'ROUND_ROBIN',
      'SERVICE',
    ])
  })

  it('serves GraphiQL to browsers', async () => {
    const page = await fetch(`${baseUrl}/graphql`, { headers: { accept: 'text/html' } })
    expect(page.status).toBe(200)
    expect(await page.text()).toMatch(/graphiql/i)
  })

  it('keeps generated secrets private to the owner', async () => {
    const secrets = await stat(path.join(dataDir, 'secrets.json'))
    expect(secrets.mode & 0o777).toBe(0o600)
  })

  it('shuts down gracefully on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)))
    server.child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(server.output()).toContain('shutting down')
  })
})
