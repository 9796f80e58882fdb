// Starts the real server for a test file: PGlite from the run's template (or a fresh PostgreSQL schema when
// TEST_DATABASE_URL is set), random port, logs captured so tests can scan them.
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { inject } from 'vitest'
import { createApp, type App } from '../../src/app/app.ts'
import { loadConfig } from '../../src/config.ts'
import { generateEncryptionKey } from '../../src/security/secrets.ts'
import { GraphQLTestClient } from './graphqlClient.ts'
import { useStarted } from './lifecycle.ts'

export interface TestApp {
  app: App
  services: App['services']
  url: string
  graphqlUrl: string
  /** Every log line the server wrote, as parsed JSON. */
  logs: Record<string, unknown>[]
  rawLogs: string[]
  client(token?: string | null): GraphQLTestClient
  close(): Promise<void>
}

export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? null

let templateBlob: Blob | null = null
async function pgliteTemplate(): Promise<Blob> {
  templateBlob ??= new Blob([await readFile(inject('pgliteTemplatePath'))])
  return templateBlob
}

export interface TestAppOptions {
  /** Share one PostgreSQL schema between several instances (multi-instance tests); the caller drops it. */
  databaseSchema?: string
}

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'app-test-'))
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEYS: generateEncryptionKey('test1'),
    LOG_LEVEL: 'debug',
    ...(testDatabaseUrl ? { DATABASE_URL: testDatabaseUrl } : {}),
    ...env,
  })
  const rawLogs: string[] = []
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      rawLogs.push(...chunk.toString('utf8').split('\n').filter(Boolean))
      callback()
    },
  })
  const databaseUrl = config.databaseUrl
  const ownSchema = databaseUrl && !options.databaseSchema ? `test_${randomBytes(6).toString('hex')}` : undefined
  const schema = options.databaseSchema ?? ownSchema
  const app = await createApp(config, {
    logDestination,
    databaseSchema: schema,
    pgliteTemplate: databaseUrl ? undefined : await pgliteTemplate(),
    startBackgroundJobs: false,
  })
  const { url } = await app.listen()
  const graphqlUrl = `${url}/graphql`
  return {
    app,
    services: app.services,
    url,
    graphqlUrl,
    rawLogs,
    get logs() {
      return rawLogs.map((line) => JSON.parse(line) as Record<string, unknown>)
    },
    client: (token = null) =>
      new GraphQLTestClient(graphqlUrl, token, () => rawLogs.filter((line) => line.includes('"level":50')).slice(-3)),
    close: async () => {
      await app.close()
      if (ownSchema && databaseUrl) await dropSchema(databaseUrl, ownSchema)
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * One app for the whole test file (or describe block): started before its tests, closed after them, handed to
 * `receive` (which may seed what every test shares). `env` may be a function when it names something an earlier hook
 * started, such as a CalDAV server's URL.
 */
export function useTestApp(
  receive: (app: TestApp) => unknown,
  env: Record<string, string> | (() => Record<string, string>) = {},
): void {
  useStarted(() => startTestApp(typeof env === 'function' ? env() : env), receive)
}

export async function dropSchema(databaseUrl: string, schema: string) {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
}
