// A push handed over with shareResults is executed once per (document, variables) for every subscriber that gets
// it; a stream's own failure and an unsubscribe behave as with per-subscriber execution.
import { GraphQLError, parse, type ExecutionResult } from 'graphql'
import { createSchema, createYoga } from 'graphql-yoga'
import { describe, expect, it } from 'vitest'
import { shareResults, sharedResultsPlugin } from '../../../src/graphql/sharedResults.ts'

interface Push {
  value: string
}

/** A stream per subscriber, all fed with the same push objects. */
class Pushes {
  readonly returned: string[] = []
  private readonly waiting = new Map<string, (result: IteratorResult<Push>) => void>()
  private readonly failing = new Map<string, (error: Error) => void>()

  stream(name: string): AsyncIterableIterator<Push> {
    const stream: AsyncIterableIterator<Push> = {
      next: () =>
        new Promise((resolve, reject) => {
          this.waiting.set(name, resolve)
          this.failing.set(name, reject)
        }),
      return: async () => {
        this.returned.push(name)
        this.waiting.get(name)?.({ done: true, value: undefined })
        this.waiting.delete(name)
        this.failing.delete(name)
        return { done: true, value: undefined }
      },
      [Symbol.asyncIterator]: () => stream,
    }
    return stream
  }

  push(value: Push): void {
    for (const resolve of this.waiting.values()) resolve({ done: false, value })
    this.waiting.clear()
  }

  fail(error: Error): void {
    for (const reject of this.failing.values()) reject(error)
    this.failing.clear()
  }
}

function setUp() {
  const pushes = new Pushes()
  let executions = 0
  let subscriber = 0
  const schema = createSchema<{ shared: boolean }>({
    typeDefs: /* GraphQL */ `
      type Query {
        ok: Boolean
      }
      type Subscription {
        changed(shared: Boolean!): Change
      }
      type Change {
        value(suffix: String): String
      }
    `,
    resolvers: {
      Subscription: {
        changed: {
          subscribe: (_root: unknown, args: { shared: boolean }, context: object) => {
            const stream = pushes.stream(`subscriber ${subscriber++}`)
            return args.shared ? shareResults(context, stream) : stream
          },
          resolve: (push: Push) => push,
        },
      },
      Change: {
        value: (push: Push, args: { suffix?: string }) => {
          executions++
          return push.value + (args.suffix ?? '')
        },
      },
    },
  })
  const yoga = createYoga({ schema, plugins: [sharedResultsPlugin()] })
  const subscribe = async (query: string, variables: Record<string, unknown>) => {
    const { subscribe, contextFactory } = yoga.getEnveloped({})
    const stream = (await subscribe({
      schema: yoga.getEnveloped({}).schema,
      document: parse(query),
      variableValues: variables,
      contextValue: await contextFactory(),
    })) as AsyncIterableIterator<ExecutionResult>
    return stream
  }
  return { pushes, subscribe, executions: () => executions }
}

const QUERY = 'subscription($shared: Boolean!, $suffix: String) { changed(shared: $shared) { value(suffix: $suffix) } }'

describe('shared subscription results', () => {
  it('executes a push once for subscribers with the same document and variables, and gives them one result', async () => {
    const { pushes, subscribe, executions } = setUp()
    const same = await Promise.all([1, 2, 3].map(() => subscribe(QUERY, { shared: true, suffix: '!' })))
    const other = await subscribe(QUERY, { shared: true, suffix: '?' })
    const nexts = [...same, other].map((stream) => stream.next())
    pushes.push({ value: 'a' })
    const results = await Promise.all(nexts)
    expect(results.map((r) => r.value)).toEqual([
      { data: { changed: { value: 'a!' } } },
      { data: { changed: { value: 'a!' } } },
      { data: { changed: { value: 'a!' } } },
      { data: { changed: { value: 'a?' } } },
    ])
    expect(results[1]!.value).toBe(results[0]!.value)
    expect(executions()).toBe(2)
  })

  it('leaves streams not handed over to per-subscriber execution', async () => {
    const { pushes, subscribe, executions } = setUp()
    const streams = await Promise.all([1, 2].map(() => subscribe(QUERY, { shared: false })))
    const nexts = streams.map((stream) => stream.next())
    pushes.push({ value: 'b' })
    await Promise.all(nexts)
    expect(executions()).toBe(2)
  })

  it('passes an unsubscribe on to the stream', async () => {
    const { pushes, subscribe } = setUp()
    const leaving = await subscribe(QUERY, { shared: true })
    const pending = leaving.next()
    await leaving.return!()
    expect(pushes.returned).toEqual(['subscriber 0'])
    expect(await pending).toEqual({ done: true, value: undefined })
  })

  it('fails as per-subscriber execution does when the stream fails, and returns it', async () => {
    const { pushes, subscribe } = setUp()
    const shared = (await subscribe(QUERY, { shared: true })).next()
    const alone = (await subscribe(QUERY, { shared: false })).next()
    pushes.fail(new GraphQLError('calendar gone', { extensions: { code: 'CALENDAR_NOT_FOUND' } }))
    const [sharedError, aloneError] = await Promise.all([shared, alone].map((next) => next.catch((e: unknown) => e)))
    expect(sharedError).toBeInstanceOf(GraphQLError)
    expect((sharedError as GraphQLError).toJSON()).toEqual((aloneError as GraphQLError).toJSON())
    expect((sharedError as GraphQLError).toJSON()).toMatchObject({
      message: 'calendar gone',
      extensions: { code: 'CALENDAR_NOT_FOUND' },
      locations: [{ line: 1, column: 1 }],
    })
    expect(pushes.returned.sort()).toEqual(['subscriber 0', 'subscriber 1'])
  })
})
