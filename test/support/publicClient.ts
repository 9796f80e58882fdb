// A client of the public path as the booking widget uses it: persisted documents by hash (Apollo-style
// extensions.persistedQuery) over HTTP, and over graphql-ws. Keeps the raw response text so tests can assert on
// exactly what left the server.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import type { ExecutionResult } from 'graphql'
import { createClient, type Client, type SubscribePayload } from 'graphql-ws'
import WebSocket from 'ws'
import { LiveSubscription } from './graphqlClient.ts'

/** A document generated from web/booking/operations.graphql: it carries its hash. */
type PersistedDocument<R, V> = TypedDocumentNode<R, V> & { __meta__?: { hash?: string } }

export interface PublicResponse<R> extends ExecutionResult<R> {
  status: number
  headers: Headers
  raw: string
}

function hashOf(document: { __meta__?: { hash?: string } }): string {
  const hash = document.__meta__?.hash
  if (!hash) throw new Error('not a persisted document (generate web/generated with npm run codegen)')
  return hash
}

function persistedBody(hash: string, variables: unknown) {
  return { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables }
}

export class PublicTestClient {
  constructor(
    readonly url: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  withHeaders(headers: Record<string, string>): PublicTestClient {
    return new PublicTestClient(this.url, { ...this.headers, ...headers })
  }

  /** POSTs any JSON body (for refused-document tests). */
  async post<R = unknown>(body: unknown): Promise<PublicResponse<R>> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...this.headers },
      body: JSON.stringify(body),
    })
    const raw = await response.text()
    return { ...(JSON.parse(raw) as ExecutionResult<R>), status: response.status, headers: response.headers, raw }
  }

  execute<R, V>(document: PersistedDocument<R, V>, variables: V): Promise<PublicResponse<R>> {
    return this.post<R>(persistedBody(hashOf(document), variables))
  }

  async data<R, V>(document: PersistedDocument<R, V>, variables: V): Promise<R> {
    const result = await this.execute(document, variables)
    if (result.errors?.length || !result.data) throw new Error(`public operation failed: ${result.raw}`)
    return result.data
  }

  subscriptions(): PublicSubscriptionClient {
    return new PublicSubscriptionClient(this.url.replace(/^http/, 'ws'))
  }
}

export class PublicSubscriptionClient {
  readonly client: Client
  /** Every raw message the server sent, for staff-data assertions. */
  readonly rawMessages: string[] = []

  constructor(wsUrl: string) {
    const rawMessages = this.rawMessages
    this.client = createClient({
      url: wsUrl,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols)
          this.on('message', (data: Buffer) => rawMessages.push(data.toString('utf8')))
        }
      },
      retryAttempts: 0,
      lazy: true,
    })
  }

  /** The widget's way: no text, only the hash in the payload's extensions. */
  subscribe<R, V>(document: PersistedDocument<R, V>, variables: V): LiveSubscription<R> {
    const body = persistedBody(hashOf(document), variables)
    return this.subscribeRaw<R>({
      query: '',
      extensions: body.extensions,
      variables: variables as Record<string, unknown>,
    })
  }

  subscribeRaw<R>(payload: SubscribePayload): LiveSubscription<R> {
    return new LiveSubscription<R>(this.client, payload)
  }

  async close(): Promise<void> {
    await this.client.dispose()
  }
}
