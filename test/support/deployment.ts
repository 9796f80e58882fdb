// Several instances of one deployment, as in production: one PostgreSQL schema (PGlite lives inside one process),
// the same secrets (a token or a stored credential of one instance is valid on the other) and, where pub/sub must
// cross instances, Redis.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { generateEncryptionKey } from '../../src/security/secrets.ts'
import { dropSchema, startTestApp, testDatabaseUrl, type TestApp } from './testApp.ts'

/** The PostgreSQL server instances share (also in the PGlite pass, where TEST_DATABASE_URL is unset). */
export const sharedDatabaseUrl = testDatabaseUrl ?? 'postgres://postgres@127.0.0.1:5432/test'
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Secrets for instances that must accept each other's tokens and read each other's credentials. */
export function sharedSecrets(label: string): Record<string, string> {
  return { AUTH_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEYS: generateEncryptionKey(label) }
}

export interface Deployment {
  /** What every instance is started with: the shared database and secrets, then the block's own settings. */
  readonly env: Record<string, string>
  /** One more instance on the shared schema; the caller closes it. */
  start(): Promise<TestApp>
}

/**
 * A deployment for the enclosing file or describe block: a fresh schema, dropped after the block. `env` is read before
 * the block's tests (after the hooks registered earlier, so it may name a server they started).
 */
export function useDeployment(name: string, env: () => Record<string, string> = () => ({})): Deployment {
  const schema = `${name}_${randomBytes(6).toString('hex')}`
  let shared: Record<string, string> = {}
  beforeAll(() => {
    shared = { DATABASE_URL: sharedDatabaseUrl, ...sharedSecrets(name), ...env() }
  })
  afterAll(async () => {
    await dropSchema(sharedDatabaseUrl, schema)
  })
  return {
    get env() {
      return shared
    },
    start: () => startTestApp(shared, { databaseSchema: schema }),
  }
}

/** Instances `a` and `b` of one deployment (see useDeployment) for the block, closed after its tests. */
export function useTwoInstances(
  name: string,
  receive: (instances: { a: TestApp; b: TestApp }) => void,
  env?: () => Record<string, string>,
): void {
  const deployment = useDeployment(name, env)
  const started: TestApp[] = []
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) started.push(await deployment.start())
    receive({ a: started[0]!, b: started[1]! })
  })
  afterAll(async () => {
    for (const instance of started) await instance.close()
  })
}
