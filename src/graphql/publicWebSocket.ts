// How the public path admits a graphql-ws operation: its address within quota, and a persisted document only (the
// persisted-operations plugin covers HTTP; graphql-ws messages do not pass through Yoga's request pipeline).
import type { IncomingMessage } from 'node:http'
import type { GraphQLError } from 'graphql'
import type { SubscribePayload } from 'graphql-ws'
import type { Services } from '../app/services.ts'
import { TooManyRequestsError } from '../publicBooking/errors.ts'
import { graphQLErrorFor } from './errorMasking.ts'
import { persistedQueryHash, type PersistedDocuments } from './persistedDocuments.ts'
import { persistedOnlyError, requestAddress } from './publicYoga.ts'

export function publicWebSocketAdmission(services: Services, documents: PersistedDocuments) {
  return async (params: SubscribePayload, request: IncomingMessage): Promise<string | readonly GraphQLError[]> => {
    try {
      await services.publicLimits.consume('ip', requestAddress(services, request))
    } catch (error) {
      if (error instanceof TooManyRequestsError) return [graphQLErrorFor(error)]
      throw error
    }
    const hash = persistedQueryHash(params.extensions)
    const document = hash === null ? undefined : documents.get(hash)
    if (document === undefined) return [persistedOnlyError()]
    return document
  }
}
