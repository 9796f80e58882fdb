// The client process of bench/fanout.bench.ts: one graphql-ws connection per subscriber (as many booking widgets
// would open), each recording when its pushes arrive. Staff subscribers use availabilityChanged with a token on
// /graphql; public ones the booking widget's persisted publicAvailabilityChanged on /public/graphql.
import { createClient, type Client, type SubscribePayload } from 'graphql-ws'
import pLimit from 'p-limit'
import WebSocket from 'ws'
import { PublicAvailabilityChangedDocument } from '../../web/generated/graphql.ts'
import { serveRequests } from './childRpc.ts'

const AVAILABILITY_CHANGED = `subscription($calendarId: ID!, $from: DateTime!, $to: DateTime!, $timeZone: TimeZone!) {
  availabilityChanged(calendarId: $calendarId, from: $from, to: $to, timeZone: $timeZone) {
    stale generatedAt slots { start localStart freeMembers } added { start localStart } removed { start localStart } } }`

export interface SubscriberSpec {
  calendarId: string
  /** A staff subscriber's bearer token; public subscribers have `slugs` instead. */
  token?: string
  slugs?: { subaccountSlug: string; calendarSlug: string }
  timeZone: string
  from: string
  to: string
}

const PUBLIC_HASH = (PublicAvailabilityChangedDocument as unknown as { __meta__: { hash: string } }).__meta__.hash

/** Where a subscriber connects and what it sends. */
function operationOf(graphqlUrl: string, spec: SubscriberSpec) {
  const range = { from: spec.from, to: spec.to, timeZone: spec.timeZone }
  if (spec.slugs) {
    const payload: SubscribePayload = {
      query: '',
      extensions: { persistedQuery: { version: 1, sha256Hash: PUBLIC_HASH } },
      variables: { ...spec.slugs, ...range },
    }
    return { url: graphqlUrl.replace(/\/graphql$/, '/public/graphql'), connectionParams: undefined, payload }
  }
  const payload: SubscribePayload = {
    query: AVAILABILITY_CHANGED,
    variables: { calendarId: spec.calendarId, ...range },
  }
  return { url: graphqlUrl, connectionParams: { authorization: `Bearer ${spec.token}` }, payload }
}

interface Subscriber {
  calendarId: string
  client: Client
  arrivals: number[]
  marked: number
  error: unknown
}

const now = () => performance.timeOrigin + performance.now()
let subscribers: Subscriber[] = []

function open(graphqlUrl: string, spec: SubscriberSpec): Promise<Subscriber> {
  const { url, connectionParams, payload } = operationOf(graphqlUrl, spec)
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true })
  const subscriber: Subscriber = { calendarId: spec.calendarId, client, arrivals: [], marked: 0, error: null }
  return new Promise((resolve) => {
    client.subscribe(payload, {
      next: (result) => {
        if (result.errors) subscriber.error = result.errors
        subscriber.arrivals.push(now())
        if (subscriber.arrivals.length === 1) resolve(subscriber)
      },
      error: (error) => {
        const { code, reason, message } = error as { code?: number; reason?: string; message?: string }
        subscriber.error = message ?? `closed ${code} ${reason}`
        resolve(subscriber)
      },
      complete: () => resolve(subscriber),
    })
  })
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return true
}

serveRequests({
  subscribe: async ({ url, specs, connecting }: { url: string; specs: SubscriberSpec[]; connecting: number }) => {
    const limit = pLimit(connecting)
    const started = now()
    const opened = await Promise.all(specs.map((spec) => limit(() => open(url, spec))))
    const elapsedMs = now() - started
    subscribers.push(...opened)
    const failed = opened.filter((s) => s.error !== null)
    return { elapsedMs, failed: failed.length, firstError: failed[0] ? JSON.stringify(failed[0].error) : null }
  },
  mark: () => {
    for (const s of subscribers) s.marked = s.arrivals.length
    return subscribers.length
  },
  /** Delay from `t0` to the next push of every subscriber of `calendarIds`; pushes elsewhere are counted. */
  collect: async ({ calendarIds, t0, timeoutMs }: { calendarIds: string[]; t0: number; timeoutMs: number }) => {
    const wanted = new Set(calendarIds)
    const affected = subscribers.filter((s) => wanted.has(s.calendarId) && s.error === null)
    const complete = await waitUntil(() => affected.every((s) => s.arrivals.length > s.marked), timeoutMs)
    await new Promise((resolve) => setTimeout(resolve, 200)) // let stray pushes to the others arrive, if any
    const delays = affected.filter((s) => s.arrivals.length > s.marked).map((s) => s.arrivals[s.marked]! - t0)
    const others = subscribers.filter((s) => !wanted.has(s.calendarId) && s.arrivals.length > s.marked).length
    return { complete, delays, missing: affected.length - delays.length, othersPushed: others }
  },
  close: async () => {
    await Promise.all(subscribers.map(async (s) => s.client.dispose()))
    subscribers = []
  },
  now: () => now(),
  cpu: () => process.cpuUsage(),
})
