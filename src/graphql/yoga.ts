// The Yoga app: schema, context, armor and error masking. Transport (HTTP + WebSocket) is in ../server.ts.
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection'
import { createYoga } from 'graphql-yoga'
import type { Services } from '../app/services.ts'
import { authenticate, type GraphQLContext } from './context.ts'
import { maskError } from './errorMasking.ts'
import { operationLimitsPlugin } from './limits.ts'
import { metricsPlugin } from './metricsPlugin.ts'
import { schema } from './schema.ts'

interface TransportContext {
  request?: Request
  connectionParams?: Record<string, unknown>
}

export function createYogaApp(services: Services) {
  const { config, logger } = services
  return createYoga<TransportContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphiql
      ? {
          title: 'iCloud Scheduling API',
          headers: JSON.stringify({ Authorization: 'Bearer <token from npm run seed>' }),
        }
      : false,
    landingPage: false,
    // Checked against Content-Length and counted on the stream, so chunked bodies (HTTP and SSE) are limited too:
    // 413 REQUEST_ENTITY_TOO_LARGE. WebSocket messages are limited by the socket (./websocket.ts).
    maxRequestBodySize: config.maxRequestBytes,
    cors: config.corsOrigins === '*' ? { origin: '*' } : { origin: config.corsOrigins, credentials: true },
    maskedErrors: { maskError },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error({ err: args.find((arg) => arg instanceof Error) }, 'graphql error'),
    },
    context: async ({ request, connectionParams }) => {
      const authorization =
        request?.headers.get('authorization') ??
        (typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : null)
      return { services, viewer: await authenticate(services, authorization) }
    },
    plugins: [
      metricsPlugin(services.metrics),
      operationLimitsPlugin({ blockFieldSuggestion: config.env === 'production' }),
      ...(config.introspection ? [] : [useDisableIntrospection()]),
    ],
  })
}

export type YogaApp = ReturnType<typeof createYogaApp>
