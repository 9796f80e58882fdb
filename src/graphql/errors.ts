// Expected outcomes of mutations are members of their result unions; each error type implements `Error`.
import { InputValidationError } from '@pothos/plugin-validation'
import { GraphQLError } from 'graphql'
import { builder } from './builder.ts'

/**
 * A domain error with a stable machine-readable code. Throw subclasses: in a mutation the errors plugin turns them
 * into union members; elsewhere (queries, subscriptions) they are GraphQL errors that Yoga shows unmasked, with
 * `extensions.code`.
 */
export class AppError extends GraphQLError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message, { extensions: { code } })
    this.name = new.target.name
  }
}

export const ErrorInterface = builder.interfaceRef<Error & { code?: string }>('Error').implement({
  description: 'Every expected failure of a mutation implements Error: show `message`, branch on `code`.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'A sentence for the user.' }),
    code: t.string({
      description: 'A stable code, e.g. INVALID_CREDENTIALS.',
      resolve: (error) => error.code ?? 'ERROR',
    }),
  }),
})

/** Declares a GraphQL error type (no fields beyond `Error`'s) for an AppError subclass. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function errorType(errorClass: new (...args: any[]) => AppError, name: string, description: string) {
  return builder.objectType(errorClass, {
    name,
    description,
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof errorClass,
    fields: () => ({}),
  })
}

const FieldError = builder.objectRef<{ path: string[]; message: string }>('FieldError').implement({
  description: 'One invalid input field.',
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Path of the field inside the mutation input.' }),
    message: t.exposeString('message'),
  }),
})

builder.objectType(InputValidationError, {
  name: 'ValidationError',
  description: 'The input is malformed; nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InputValidationError,
  fields: (t) => ({
    fieldErrors: t.field({
      type: [FieldError],
      resolve: (error) =>
        error.issues.map((issue) => ({
          path: (issue.path ?? []).map((segment) =>
            String(typeof segment === 'object' && segment !== null ? segment.key : segment),
          ),
          message: issue.message,
        })),
    }),
  }),
})

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`)
  }
}
errorType(NotFoundError, 'NotFoundError', 'The object does not exist or is not visible to you.')

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message)
  }
}
errorType(ForbiddenError, 'ForbiddenError', 'The signed-in user may not perform this action.')

/** Default members of every mutation result union. */
export const commonErrors = [InputValidationError, NotFoundError, ForbiddenError]

/**
 * The `errors` option of a mutation field: `<Name>Result = <Name>Success | <errors>`, with the success value under
 * `dataField` (e.g. `CreateBlockedSlotSuccess.blockedSlot`).
 */
export function mutationResult(name: string, dataField: string, types: (new (...args: never[]) => Error)[] = []) {
  return {
    types: [...commonErrors, ...types],
    result: { name: `${name}Success` },
    union: { name: `${name}Result` },
    dataField: { name: dataField },
  }
}
