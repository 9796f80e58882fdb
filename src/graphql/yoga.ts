// The Yoga app: schema, context, armor and error masking. Transport (HTTP + WebSocket) is in ../server.ts.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor'
import { createYoga, type Plugin } from 'graphql-yoga'
import type { Services } from '../app/services.ts'
import { authenticate, type GraphQLContext } from './context.ts'
import { metricsPlugin } from './metricsPlugin.ts'
import { schema } from './schema.ts'

interface TransportContext {
  request?: Request
  connectionParams?: Record<string, unknown>
}

/** Rejects oversized request bodies before they are read. */
function requestSizeLimit(maxBytes: number): Plugin {
  return {
    onRequest(payload) {
      const { request, fetchAPI } = payload
      const length = Number(request.headers.get('content-length') ?? 0)
      if (length > maxBytes) {
        payload.endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message: `Request body exceeds ${maxBytes} bytes.` }] }), {
            status: 413,
            headers: { 'content-type': 'application/json' },
          }),
        )
      }
    },
  }
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
    cors: config.corsOrigins === '*' ? { origin: '*' } : { origin: config.corsOrigins, credentials: true },
    maskedErrors: true,
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
      requestSizeLimit(config.maxRequestBytes),
      metricsPlugin(services.metrics),
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 20 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 3000 },
        costLimit: { maxCost: 6000 },
        blockFieldSuggestion: { enabled: config.env === 'production' },
      }),
    ],
  })
}

export type YogaApp = ReturnType<typeof createYogaApp>
