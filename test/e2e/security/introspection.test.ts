// GRAPHQL_INTROSPECTION: off by default in production, on elsewhere, configurable either way.
import { afterAll, describe, expect, it } from 'vitest'
import { createTeam } from '../../support/factories.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'

const apps: TestApp[] = []
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()))
})

async function introspects(env: Record<string, string>): Promise<boolean> {
  const t = await startTestApp(env)
  apps.push(t)
  const { user } = await createTeam(t.services)
  const result = await t.client(user.token).execute(`{ __schema { queryType { name } } }`)
  return result.data !== undefined && result.data !== null && result.errors === undefined
}

describe('introspection', () => {
  it('is off by default in production and can be switched on', async () => {
    expect(await introspects({ NODE_ENV: 'production' })).toBe(false)
    expect(await introspects({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' })).toBe(true)
  })

  it('is on by default outside production and can be switched off', async () => {
    expect(await introspects({})).toBe(true)
    expect(await introspects({ GRAPHQL_INTROSPECTION: 'false' })).toBe(false)
  })
})
