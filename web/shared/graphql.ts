// GraphQL over HTTP and graphql-ws for the pages. Documents are strings typed by GraphQL Code Generator
// (documentMode: 'string'), so no GraphQL parser ships to the browser.
import { createClient, type Client } from 'graphql-ws'

export interface TypedDocument<R, V> {
  toString(): string
  /** Present on persisted documents (codegen `persistedDocuments`): the hash the public path accepts. */
  __meta__?: { hash?: string } | Record<string, unknown>
  __apiType?: (variables: V) => R
}

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    /** HTTP status (401: the token was refused); 0 when the server was not reached. */
    readonly status = 0,
  ) {
    super(message)
  }
}

export interface Endpoint {
  url: string
  /** Staff path: `Bearer …`. The public path takes no token. */
  authorization?: () => string | null
  /** Public path: send the persisted-document hash instead of the text. */
  persisted?: boolean
}

function body<R, V>(endpoint: Endpoint, document: TypedDocument<R, V>, variables: V) {
  if (!endpoint.persisted) return { query: document.toString(), variables }
  const hash = (document.__meta__ as { hash?: string } | undefined)?.hash
  if (!hash) throw new GraphQLRequestError('This operation is not a persisted document.')
  return { variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }
}

export async function request<R, V>(endpoint: Endpoint, document: TypedDocument<R, V>, variables: V): Promise<R> {
  const authorization = endpoint.authorization?.()
  let response: Response
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify(body(endpoint, document, variables)),
    })
  } catch {
    throw new GraphQLRequestError('The server cannot be reached. Check your connection and try again.')
  }
  const result = (await response.json().catch(() => ({}))) as { data?: R; errors?: { message: string }[] }
  if (result.errors?.length || !result.data) {
    throw new GraphQLRequestError(
      result.errors?.[0]?.message ?? `The server answered ${response.status}.`,
      response.status,
    )
  }
  return result.data
}

function webSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl, location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.href
}

/** One graphql-ws connection that retries forever (the pages live long; servers restart). */
export function liveClient(endpoint: Endpoint, onConnectionChange?: (connected: boolean) => void): Client {
  return createClient({
    url: webSocketUrl(endpoint.url),
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: () => {
      const authorization = endpoint.authorization?.()
      return authorization ? { authorization } : {}
    },
    on: {
      connected: () => onConnectionChange?.(true),
      closed: () => onConnectionChange?.(false),
    },
  })
}

export function subscribe<R, V>(
  client: Client,
  endpoint: Endpoint,
  document: TypedDocument<R, V>,
  variables: V,
  onData: (data: R) => void,
  onError: (message: string) => void,
): () => void {
  const payload = body(endpoint, document, variables) as {
    query?: string
    variables: Record<string, unknown>
    extensions?: Record<string, unknown>
  }
  return client.subscribe<R>(
    { query: payload.query ?? '', variables: payload.variables, extensions: payload.extensions },
    {
      next: (result) => {
        if (result.errors?.length) onError(result.errors[0]!.message)
        else if (result.data) onData(result.data)
      },
      error: () => onError('The live connection was lost; reconnecting.'),
      complete: () => {},
    },
  )
}
