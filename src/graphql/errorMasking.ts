// What a client sees of an error outside a mutation result union (queries, subscriptions, field errors): a domain
// error keeps its message and gets `extensions.code`; anything unexpected is masked by Yoga's default.
import { GraphQLError } from 'graphql'
import { maskError as maskUnexpectedError, type MaskError } from 'graphql-yoga'
import { DomainError, InvalidInputError } from '../errors.ts'

function domainErrorOf(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error
  if (error instanceof GraphQLError && error.originalError instanceof DomainError) return error.originalError
  return null
}

/** The GraphQL error a client sees for a domain error, keeping the location and path of `error` when it has them. */
export function graphQLErrorFor(domainError: DomainError, error?: unknown): GraphQLError {
  const located = error instanceof GraphQLError ? error : undefined
  return new GraphQLError(domainError.message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions: {
      code: domainError.code,
      ...(domainError instanceof InvalidInputError ? { fieldErrors: domainError.issues } : {}),
    },
  })
}

export const maskError: MaskError = (error, message, isDev) => {
  const domainError = domainErrorOf(error)
  return domainError ? graphQLErrorFor(domainError, error) : maskUnexpectedError(error, message, isDev)
}
