// The widget talks to the public path only, with persisted documents (hashes), never a token.
import type { Client } from 'graphql-ws'
import { liveClient, request, type Endpoint, type TypedDocument } from '../shared/graphql.ts'

export const publicEndpoint: Endpoint = { url: '/public/graphql', persisted: true }

export const publicRequest = <R, V>(document: TypedDocument<R, V>, variables: V) =>
  request(publicEndpoint, document, variables)

let client: Client | null = null
const listeners = new Set<(connected: boolean) => void>()

/** The page's one graphql-ws connection (reconnects by itself). */
export function live(): Client {
  client ??= liveClient(publicEndpoint, (connected) => listeners.forEach((listener) => listener(connected)))
  return client
}

export function onLiveConnection(listener: (connected: boolean) => void) {
  listeners.add(listener)
}
