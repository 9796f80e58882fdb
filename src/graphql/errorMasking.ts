// What a client sees of an error outside a mutation result union (queries, subscriptions, field errors): a domain
// error (or a Pothos refusal) keeps its message and gets `extensions.code`; anything unexpected is masked by Yoga.
import { PothosValidationError } from '@pothos/core'
import { GraphQLError } from 'graphql'
import { maskError as maskUnexpectedError, type MaskError } from 'graphql-yoga'
import { DomainError, InvalidInputError } from '../errors.ts'
import { TooManyRequestsError } from '../publicBooking/errors.ts'

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
      ...(domainError instanceof TooManyRequestsError ? tooManyRequests(domainError.retryAfterSeconds) : {}),
    },
  })
}

function tooManyRequests(retryAfterSeconds: number) {
  return { retryAfterSeconds, http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } } }
}

/** Pothos's own refusals (a malformed global ID; scope-auth's "not authorized", which carries `code`). */
function pothosRefusalOf(error: unknown): DomainError | null {
  const refusal = error instanceof GraphQLError && error.originalError ? error.originalError : error
  if (!(refusal instanceof PothosValidationError)) return null
  const code = (refusal as { code?: unknown }).code
  return new DomainError(typeof code === 'string' ? code : 'INVALID_INPUT', refusal.message)
}

/** graphql-js's own refusal of a variable that does not fit its type (it has no code of its own). */
function variableRefusalOf(error: unknown): DomainError | null {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return null
  return error.message.startsWith('Variable "$') ? new DomainError('INVALID_INPUT', error.message) : null
}

export const maskError: MaskError = (error, message, isDev) => {
  const known = domainErrorOf(error) ?? pothosRefusalOf(error) ?? variableRefusalOf(error)
  return known ? graphQLErrorFor(known, error) : maskUnexpectedError(error, message, isDev)
}
