// A bad operation on a graphql-ws socket is answered with GraphQL errors (the codes HTTP gives) and the socket, with
// the client's other subscriptions, stays open. Nothing is printed as a raw stack.
import { describe, expect, it, vi } from 'vitest'
import { graphql } from '../../graphql/index.ts'
import type { LiveSubscription } from '../../support/graphqlClient.ts'
import { createTeam } from '../../support/factories.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { hostileDocuments } from './hostileDocuments.ts'

const Heartbeat = graphql(`
  subscription WebSocketErrorsHeartbeat {
    heartbeat(intervalSeconds: 1)
  }
`)

let t: TestApp
let token: string

useTestApp(async (app) => {
  t = app
  token = (await createTeam(t.services)).user.token
})

async function failureOf(live: LiveSubscription<unknown>, timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs
  while (live.error === null && !live.completed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  return live.error
}

describe('graphql-ws and bad operations', () => {
  it('answers each bad operation with its error code and keeps the socket and its other subscriptions', async () => {
    const consoleError = vi.spyOn(console, 'error')
    const subscriptions = t.client(token).subscriptions()
    let closes = 0
    subscriptions.client.on('closed', () => closes++)
    const heartbeat = subscriptions.subscribe(Heartbeat)
    await heartbeat.next()

    for (const { name, query, code } of hostileDocuments) {
      const overHttp = await t.client(token).execute(query)
      const httpCodes = overHttp.errors?.map((error) => error.extensions?.code)
      expect(httpCodes, `${name} over HTTP`).toContain(code)

      const bad = subscriptions.subscribe(query)
      const failure = await failureOf(bad)
      expect(Array.isArray(failure), `${name}: an error message, not a closed socket: ${String(failure)}`).toBe(true)
      const wsCodes = (failure as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code)
      expect(wsCodes, name).toEqual(httpCodes)
    }

    await heartbeat.next()
    expect(closes).toBe(0)
    expect(JSON.stringify(consoleError.mock.calls)).not.toMatch(/\n\s+at /)
    consoleError.mockRestore()
    heartbeat.close()
    await subscriptions.close()
  })
})
