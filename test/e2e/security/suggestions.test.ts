// Production answers never say "Did you mean …": suggestions would map the schema for a caller that has no
// introspection. Outside production they stay, as help for developers. Over HTTP and graphql-ws alike.
import { describe, expect, it } from 'vitest'
import { createTeam } from '../../support/factories.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'

const createCalendar = `mutation ($input: CreateCrmCalendarInput!) { createCrmCalendar(input: $input) { __typename } }`

/** Each misspelling, as a document and its variables; graphql-js suggests a fix for every one. */
const misspellings: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  {
    name: 'enum value inline',
    query: `mutation { createCrmCalendar(input: { name: "A", type: SERVIC }) { __typename } }`,
  },
  { name: 'enum value in variables', query: createCalendar, variables: { input: { name: 'A', type: 'SERVIC' } } },
  { name: 'input field in variables', query: createCalendar, variables: { input: { nam: 'A', type: 'SERVICE' } } },
  {
    name: 'input field inline',
    query: `mutation { createCrmCalendar(input: { nam: "A", type: SERVICE }) { __typename } }`,
  },
  { name: 'output field', query: `{ viewer { rol } }` },
  { name: 'argument', query: `{ crmCalendar(di: "x") { id } }` },
  { name: 'type in a variable definition', query: `query ($t: CrmCalendarTyp) { viewer { role } }` },
]

async function withAdminToken(t: TestApp) {
  const { admin } = await createTeam(t.services)
  return { t, token: admin.token }
}

let production: { t: TestApp; token: string }
let development: { t: TestApp; token: string }
useTestApp(async (t) => (production = await withAdminToken(t)), { NODE_ENV: 'production' })
useTestApp(async (t) => (development = await withAdminToken(t)))

async function messagesOverHttp({ t, token }: { t: TestApp; token: string }, query: string, variables?: object) {
  const result = await t.client(token).execute(query, variables)
  return result.errors?.map((error) => error.message) ?? []
}

async function messagesOverWebSocket({ t, token }: { t: TestApp; token: string }, query: string, variables?: object) {
  const subscriptions = t.client(token).subscriptions()
  try {
    const live = subscriptions.subscribe(query, variables as Record<string, unknown>)
    const deadline = Date.now() + 10_000
    while (live.error === null && !live.completed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    // Refused before execution: an error message; refused by execution (variables): a payload with errors.
    const errors = Array.isArray(live.error) ? (live.error as { message: string }[]) : (await live.next()).errors
    return errors?.map((error) => error.message) ?? []
  } finally {
    await subscriptions.close()
  }
}

describe('"Did you mean" suggestions', () => {
  it('are left out of every error in production, over HTTP and graphql-ws', async () => {
    for (const { name, query, variables } of misspellings) {
      const overHttp = await messagesOverHttp(production, query, variables)
      expect(overHttp.length, `${name}: refused`).toBeGreaterThan(0)
      expect(overHttp.join('\n'), name).not.toMatch(/did you mean/i)
      const overWebSocket = await messagesOverWebSocket(production, query, variables)
      expect(overWebSocket, `${name} over graphql-ws`).toEqual(overHttp)
    }
  })

  it('are kept outside production', async () => {
    for (const { name, query, variables } of misspellings) {
      expect((await messagesOverHttp(development, query, variables)).join('\n'), name).toMatch(/Did you mean/)
    }
  })
})
