// The Yoga apps' shared parts (body limit, error masking, logging, operation limits) and the staff app: schema,
// context from the bearer token. Transport (HTTP + WebSocket) is in ../server.ts; the public path in ./publicYoga.ts.
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection'
import { createYoga } from 'graphql-yoga'
import type { Services } from '../app/services.ts'
import { authenticate, type GraphQLContext } from './context.ts'
import { costLimitPlugin } from './cost.ts'
import { maskError } from './errorMasking.ts'
import { GRAPHIQL_EXAMPLES } from './graphiqlExamples.ts'
import { operationLimitsPlugin } from './limits.ts'
import { metricsPlugin } from './metricsPlugin.ts'
import { schema } from './schema.ts'
import { sharedResultsPlugin } from './sharedResults.ts'
import { hideSuggestionsPlugin } from './suggestions.ts'
import { endSubscriptionsAtTokenExpiry } from './tokenExpiry.ts'

interface TransportContext {
  request?: Request
  connectionParams?: Record<string, unknown>
}

/** What the staff and the public path have in common. */
export function sharedYogaOptions(services: Services) {
  const { config, logger } = services
  return {
    // Checked against Content-Length and counted on the stream, so chunked bodies (HTTP and SSE) are limited too:
    // 413 REQUEST_ENTITY_TOO_LARGE. WebSocket messages are limited by the socket (./websocket.ts).
    maxRequestBodySize: config.maxRequestBytes,
    maskedErrors: { maskError },
    logging: {
      debug: (...args: unknown[]) => logger.debug(args.map(String).join(' ')),
      info: (...args: unknown[]) => logger.info(args.map(String).join(' ')),
      warn: (...args: unknown[]) => logger.warn(args.map(String).join(' ')),
      error: (...args: unknown[]) => logger.error({ err: args.find((arg) => arg instanceof Error) }, 'graphql error'),
    },
  }
}

/** Depth, alias, directive, token and cost limits, and introspection: the same on the staff and the public path. */
export function limitPlugins(config: Services['config']) {
  return [
    operationLimitsPlugin(),
    costLimitPlugin(),
    ...(config.env === 'production' ? hideSuggestionsPlugin() : []),
    ...(config.introspection ? [] : [useDisableIntrospection()]),
  ]
}

export function createYogaApp(services: Services) {
  const { config } = services
  return createYoga<TransportContext, GraphQLContext>({
    ...sharedYogaOptions(services),
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphiql
      ? {
          title: 'iCloud Scheduling API',
          headers: JSON.stringify({ Authorization: 'Bearer <token from npm run seed>' }),
          defaultQuery: GRAPHIQL_EXAMPLES,
        }
      : false,
    landingPage: false,
    cors: config.corsOrigins === '*' ? { origin: '*' } : { origin: config.corsOrigins, credentials: true },
    context: async ({ request, connectionParams }) => {
      const authorization =
        request?.headers.get('authorization') ??
        (typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : null)
      return { services, viewer: await authenticate(services, authorization) }
    },
    plugins: [
      metricsPlugin(services.metrics),
      ...limitPlugins(config),
      endSubscriptionsAtTokenExpiry(),
      sharedResultsPlugin(),
    ],
  })
}

export type YogaApp = ReturnType<typeof createYogaApp>
