// graphql-ws on the Yoga endpoint of an HTTP server: WebSocket operations go through the same envelop plugins,
// context and auth as HTTP ones. A bad operation is answered with GraphQL errors carrying the codes HTTP gives; it
// never closes the socket (which would end the client's other subscriptions).
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { GraphQLError } from 'graphql'
import type { ServerOptions, SubscribePayload } from 'graphql-ws'
import { useServer, type Extra } from 'graphql-ws/use/ws'
import { WebSocketServer } from 'ws'
import type { PublicYogaApp } from './publicYoga.ts'
import { GraphQLWebSocketConnection, serializedOnce } from './websocketPayloads.ts'
import type { YogaApp } from './yoga.ts'

interface GraphQLWebSocket {
  /** Closes every socket and stops accepting new ones. */
  dispose(): Promise<void>
  /** Drops every socket at once (the drain deadline has passed). */
  terminate(): void
}

/** The error as a client sees it over HTTP: `code` (the fallback when it has none), no transport details. */
function asClientError(error: unknown, fallbackCode: string): GraphQLError {
  if (!(error instanceof GraphQLError)) {
    return new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })
  }
  const { http: _http, ...extensions } = error.extensions
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...extensions, code: extensions.code ?? fallbackCode },
  })
}

type Enveloped = ReturnType<(YogaApp | PublicYogaApp)['getEnveloped']>

/** Parses and validates like Yoga does for HTTP; errors are returned, never thrown. */
function parseAndValidate(enveloped: Enveloped, query: string) {
  let document: ReturnType<Enveloped['parse']>
  try {
    document = enveloped.parse(query)
  } catch (error) {
    return { errors: [asClientError(error, 'GRAPHQL_PARSE_FAILED')] }
  }
  try {
    const errors = enveloped.validate(enveloped.schema, document)
    if (errors.length > 0)
      return { errors: errors.map((error: GraphQLError) => asClientError(error, 'GRAPHQL_VALIDATION_FAILED')) }
  } catch (error) {
    return { errors: [asClientError(error, 'GRAPHQL_VALIDATION_FAILED')] }
  }
  return { document }
}

export interface GraphQLWebSocketOptions {
  maxPayloadBytes: number
  /** Authenticates `connection_init` (see websocketAuth.ts); the public path has none. */
  onConnect?: ServerOptions<Record<string, unknown> | undefined, Extra>['onConnect']
  /** The document to run, or errors to refuse the operation with (default: the text in `params.query`). */
  prepare?: (params: SubscribePayload, request: IncomingMessage) => Promise<string | readonly GraphQLError[]>
}

/** graphql-ws for one Yoga app; the HTTP server hands it the upgrades of that app's path (see ../server.ts). */
export function createGraphQLWebSocket(yoga: YogaApp | PublicYogaApp, options: GraphQLWebSocketOptions) {
  const wsServer = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes,
    WebSocket: GraphQLWebSocketConnection,
  })
  const handle = useServer(
    {
      onConnect: options.onConnect,
      execute: (args) => (args.rootValue as { execute: (a: unknown) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: unknown) => unknown }).subscribe(args) as never,
      onNext: (_ctx, _id, _payload, _args, result) => serializedOnce(result),
      onSubscribe: async (ctx, _id, params) => {
        const query = options.prepare ? await options.prepare(params, ctx.extra.request) : params.query
        if (typeof query !== 'string') return query.map((error) => asClientError(error, 'INVALID_INPUT'))
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: { ...params, query },
        })
        let contextValue: unknown
        try {
          contextValue = await enveloped.contextFactory()
        } catch (error) {
          return [asClientError(error, 'INTERNAL_SERVER_ERROR')]
        }
        const { document, errors } = parseAndValidate(enveloped, query)
        if (errors) return errors
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        }
      },
    },
    wsServer,
  )
  return {
    /** Takes over an HTTP upgrade request for this endpoint. */
    handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req)),
    dispose: async () => handle.dispose(),
    terminate: () => wsServer.clients.forEach((socket) => socket.terminate()),
  } satisfies GraphQLWebSocket & { handleUpgrade: unknown }
}
