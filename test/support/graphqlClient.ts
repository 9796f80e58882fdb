// A small typed client for tests: HTTP for queries and mutations, graphql-ws for subscriptions. Failures print the
// operation and the whole response so a red test explains itself.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { print, type ExecutionResult } from 'graphql'
import { createClient, type Client, type SubscribePayload } from 'graphql-ws'
import WebSocket from 'ws'

type Document<R, V> = TypedDocumentNode<R, V> | string

function source<R, V>(document: Document<R, V>): string {
  return typeof document === 'string' ? document : print(document)
}

export interface GraphQLResponse<R> extends ExecutionResult<R> {
  status: number
}

export class GraphQLTestClient {
  constructor(
    readonly graphqlUrl: string,
    private readonly token: string | null,
    /** Server log lines to show when an operation fails with a masked error. */
    private readonly serverErrors: () => string[] = () => [],
  ) {}

  withToken(token: string | null): GraphQLTestClient {
    return new GraphQLTestClient(this.graphqlUrl, token, this.serverErrors)
  }

  async execute<R, V>(document: Document<R, V>, variables?: V): Promise<GraphQLResponse<R>> {
    const response = await fetch(this.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query: source(document), variables }),
    })
    const body = (await response.json()) as ExecutionResult<R>
    return { ...body, status: response.status }
  }

  /** Executes and returns `data`, failing with the operation and response when there are errors. */
  async data<R, V>(document: Document<R, V>, variables?: V): Promise<R> {
    const result = await this.execute(document, variables)
    if (result.errors?.length || !result.data) {
      throw new Error(
        `GraphQL operation failed:\n${source(document)}\nvariables: ${JSON.stringify(variables)}\nresponse: ${JSON.stringify(result, null, 2)}\nserver errors:\n${this.serverErrors().join('\n')}`,
      )
    }
    return result.data
  }

  subscriptions(): SubscriptionTestClient {
    return new SubscriptionTestClient(this.graphqlUrl.replace(/^http/, 'ws'), this.token)
  }
}

/** One graphql-ws connection; each subscription is a queue of received payloads you can await. */
export class SubscriptionTestClient {
  readonly client: Client

  constructor(wsUrl: string, token: string | null) {
    this.client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
    })
  }

  subscribe<R, V>(document: Document<R, V>, variables?: V): LiveSubscription<R> {
    return new LiveSubscription<R>(this.client, {
      query: source(document),
      variables: variables as Record<string, unknown> | undefined,
    })
  }

  async close(): Promise<void> {
    await this.client.dispose()
  }
}

export class LiveSubscription<R> {
  private readonly received: ExecutionResult<R>[] = []
  private waiters: (() => void)[] = []
  private readonly dispose: () => void
  error: unknown = null
  completed = false

  constructor(client: Client, payload: SubscribePayload) {
    this.dispose = client.subscribe<R>(payload, {
      next: (value) => this.push(value as ExecutionResult<R>),
      error: (error) => {
        this.error = error
        this.wake()
      },
      complete: () => {
        this.completed = true
        this.wake()
      },
    })
  }

  private push(value: ExecutionResult<R>) {
    this.received.push(value)
    this.wake()
  }

  private wake() {
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) waiter()
  }

  /** Resolves with the next payload, or rejects after `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<ExecutionResult<R>> {
    const deadline = Date.now() + timeoutMs
    while (this.received.length === 0) {
      if (this.error) throw new Error(`subscription failed: ${JSON.stringify(this.error)}`)
      if (this.completed) throw new Error('subscription completed without a payload')
      const remaining = deadline - Date.now()
      if (remaining <= 0) throw new Error(`no subscription payload within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.received.shift()!
  }

  /** Waits for the next payload whose data satisfies `predicate`, skipping others. */
  async nextMatching(predicate: (data: R) => boolean, timeoutMs = 10_000): Promise<R> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const result = await this.next(Math.max(1, deadline - Date.now()))
      if (result.data && predicate(result.data)) return result.data
    }
  }

  /** Whether a payload arrives within `ms` (for asserting silence). */
  async receivesWithin(ms: number): Promise<boolean> {
    try {
      await this.next(ms)
      return true
    } catch {
      return false
    }
  }

  close(): void {
    this.dispose()
  }
}
