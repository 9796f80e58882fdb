// graphql-ws on the Yoga endpoint of an HTTP server: WebSocket operations go through the same envelop plugins,
// context and auth as HTTP ones.
import type { Server } from 'node:http'
import { GraphQLError } from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer } from 'ws'
import type { YogaApp } from './yoga.ts'

export interface GraphQLWebSocket {
  /** Closes every socket and stops accepting new ones. */
  dispose(): Promise<void>
}

export function attachGraphQLWebSocket(server: Server, yoga: YogaApp, maxPayloadBytes: number): GraphQLWebSocket {
  const wsServer = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: maxPayloadBytes })
  const handle = useServer(
    {
      execute: (args) => (args.rootValue as { execute: (a: unknown) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: unknown) => unknown }).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        })
        let contextValue: unknown
        try {
          contextValue = await contextFactory()
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Unexpected error.')]
        }
        const document = parse(params.query)
        const errors = validate(schema, document)
        if (errors.length > 0) return errors
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe },
        }
      },
    },
    wsServer,
  )
  return { dispose: async () => handle.dispose() }
}
