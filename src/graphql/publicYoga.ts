// The public path, /public/graphql: no token, persisted documents only, rate-limited per address and calendar, the
// same depth/cost limits as the staff path. Its documents reach public fields only (PublicCalendar, PublicAvailability,
// PublicBooking and the public mutations), so staff data cannot be asked for.
import type { IncomingMessage } from 'node:http'
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations'
import type { GraphQLError } from 'graphql'
import { createGraphQLError, createYoga, type Plugin } from 'graphql-yoga'
import type { Services } from '../app/services.ts'
import { clientAddress } from '../publicBooking/clientAddress.ts'
import { TooManyRequestsError } from '../publicBooking/errors.ts'
import { publicContext, type GraphQLContext } from './context.ts'
import { metricsPlugin } from './metricsPlugin.ts'
import { persistedQueryHash, type PersistedDocuments } from './persistedDocuments.ts'
import { schema } from './schema.ts'
import { sharedResultsPlugin } from './sharedResults.ts'
import { limitPlugins, sharedYogaOptions } from './yoga.ts'

const PUBLIC_GRAPHQL_PATH = '/public/graphql'

interface PublicServerContext {
  req?: IncomingMessage
}

export function requestAddress(services: Services, req: IncomingMessage | undefined): string {
  return req ? clientAddress(req, services.config.publicBooking.trustedProxies) : 'unknown'
}

/** A refused document: the same answer whether the document is unknown or was sent as text. */
export function persistedOnlyError(): GraphQLError {
  return createGraphQLError('Only the booking widget’s persisted operations are accepted on this path.', {
    extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
  })
}

/** Every public HTTP request counts against its address; over the quota it is answered 429 with Retry-After. */
function perAddressRateLimit(services: Services): Plugin<PublicServerContext> {
  return {
    async onRequest(payload) {
      const { request, serverContext, fetchAPI } = payload
      if (request.method === 'OPTIONS') return
      try {
        await services.publicLimits.consume('ip', requestAddress(services, (serverContext as PublicServerContext).req))
      } catch (error) {
        if (!(error instanceof TooManyRequestsError)) throw error
        const body = {
          errors: [
            { message: error.message, extensions: { code: error.code, retryAfterSeconds: error.retryAfterSeconds } },
          ],
        }
        payload.endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': String(error.retryAfterSeconds) },
          }),
        )
      }
    },
  }
}

export function createPublicYogaApp(services: Services, documents: PersistedDocuments) {
  const { config } = services
  return createYoga<PublicServerContext, GraphQLContext>({
    ...sharedYogaOptions(services),
    schema,
    graphqlEndpoint: PUBLIC_GRAPHQL_PATH,
    graphiql: false,
    landingPage: false,
    // Booking widgets are embedded on any site; nothing here uses cookies.
    cors: { origin: '*', credentials: false },
    context: ({ req }) => publicContext(services, { ip: requestAddress(services, req) }),
    plugins: [
      metricsPlugin(services.metrics),
      perAddressRateLimit(services),
      usePersistedOperations({
        getPersistedOperation: (hash) => documents.get(hash) ?? null,
        extractPersistedOperationId: (params) => persistedQueryHash(params.extensions),
        allowArbitraryOperations: false,
        customErrors: { persistedQueryOnly: () => persistedOnlyError(), notFound: () => persistedOnlyError() },
      }),
      ...limitPlugins(config),
      sharedResultsPlugin(),
    ],
  })
}

export type PublicYogaApp = ReturnType<typeof createPublicYogaApp>
