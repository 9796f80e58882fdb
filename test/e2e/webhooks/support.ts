// A real HTTP receiver for webhooks (the CRM backend's side), the admin documents, and a drain like the worker's.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { processWebhookDeliveries } from '../../../src/webhooks/worker.ts'
import type { WebhookEventType } from '../../graphql/graphql.ts'
import { graphql } from '../../graphql/index.ts'
import type { GraphQLTestClient } from '../../support/graphqlClient.ts'
import type { TestApp } from '../../support/testApp.ts'

export interface ReceivedWebhook {
  headers: Record<string, string>
  body: string
  json: { id: string; type: string; timestamp: string; data: Record<string, unknown> }
}

/** What the receiver does with the next requests, in order; then it answers 204. */
type Answer = number | 'hang'

export interface Receiver {
  url: string
  received: ReceivedWebhook[]
  answers: Answer[]
  /** Resolves when `count` requests have arrived (polls; generous limit). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = []
  const answers: Answer[] = []
  const hanging = new Set<ServerResponse>()
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
      received.push({ headers, body, json: JSON.parse(body) as ReceivedWebhook['json'] })
      const answer = answers.shift() ?? 204
      if (answer === 'hang') {
        hanging.add(res)
        return
      }
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 400 ? 'receiver says no' : '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answers,
    async waitFor(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhooks, got ${received.length}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return received
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Verifies as a receiver would (standardwebhooks' reference verify); throws on a bad signature. */
export function verify(secret: string, webhook: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(webhook.body, webhook.headers)
}

/** Delivers what is due, like the worker does (background jobs are off in tests). */
export async function drainWebhooks(t: TestApp): Promise<number> {
  let total = 0
  for (let i = 0; i < 20; i++) {
    const claimed = (await processWebhookDeliveries(t.services)).length
    if (claimed === 0) break
    total += claimed
  }
  return total
}

/** Time travel for retries: every waiting delivery becomes due now. */
export async function makeDeliveriesDue(t: TestApp): Promise<void> {
  await t.services.prisma.webhookDelivery.updateMany({
    where: { state: 'PENDING' },
    data: { nextAttemptAt: new Date(Date.now() - 1000) },
  })
}

/** @public Spread by name in the documents below. */
export const WebhookEndpointFields = graphql(`
  fragment WebhookEndpointFields on WebhookEndpoint {
    id
    url
    description
    eventTypes
    enabled
    disabledReason
  }
`)

export const CreateWebhookEndpoint = graphql(`
  mutation WebhooksCreateEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      __typename
      ... on CreateWebhookEndpointSuccess {
        signingSecret
        webhookEndpoint {
          ...WebhookEndpointFields
        }
      }
      ...ErrorFields
    }
  }
`)

export const UpdateWebhookEndpoint = graphql(`
  mutation WebhooksUpdateEndpoint($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) {
      __typename
      ... on UpdateWebhookEndpointSuccess {
        webhookEndpoint {
          ...WebhookEndpointFields
        }
      }
      ...ErrorFields
    }
  }
`)

export const RotateWebhookSecret = graphql(`
  mutation WebhooksRotateSecret($input: RotateWebhookSecretInput!) {
    rotateWebhookSecret(input: $input) {
      __typename
      ... on RotateWebhookSecretSuccess {
        signingSecret
        webhookEndpoint {
          id
          secretRotatedUntil
        }
      }
      ...ErrorFields
    }
  }
`)

export const RedeliverWebhook = graphql(`
  mutation WebhooksRedeliver($input: RedeliverWebhookInput!) {
    redeliverWebhook(input: $input) {
      __typename
      ... on RedeliverWebhookSuccess {
        webhookDelivery {
          id
          status
          nextAttemptAt
        }
      }
      ...ErrorFields
    }
  }
`)

export const WebhookEndpointsQuery = graphql(`
  query WebhooksEndpoints($first: Int, $after: String) {
    webhookEndpoints {
      ...WebhookEndpointFields
      failingSince
      deliveries(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            eventId
            eventType
            status
            attempts
            lastHttpStatus
            lastError
            nextAttemptAt
            deliveredAt
          }
        }
      }
    }
  }
`)

/** Registers `receiver` for `eventTypes` as the admin behind `client`; returns the endpoint id and its secret. */
export async function registerEndpoint(
  client: GraphQLTestClient,
  url: string,
  eventTypes: WebhookEventType[],
): Promise<{ endpointId: string; secret: string }> {
  const data = await client.data(CreateWebhookEndpoint, { input: { url, eventTypes, description: 'CRM backend' } })
  const result = data.createWebhookEndpoint
  if (result.__typename !== 'CreateWebhookEndpointSuccess') throw new Error(JSON.stringify(result))
  return { endpointId: result.webhookEndpoint.id, secret: result.signingSecret }
}
