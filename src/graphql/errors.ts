// How domain errors (src/errors.ts) appear in the schema: expected outcomes of mutations are members of their result
// unions, each implementing `Error`. Outside a union, src/graphql/errorMasking.ts shows them with `extensions.code`.
import { DomainError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts'
import { builder } from './builder.ts'

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'Every expected failure of a mutation implements Error: show `message`, branch on `code`.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'A sentence for the user.' }),
    code: t.exposeString('code', { description: 'A stable code, e.g. INVALID_CREDENTIALS.' }),
  }),
})

/** Declares a GraphQL error type (no fields beyond `Error`'s) for a DomainError subclass. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function errorType(errorClass: new (...args: any[]) => DomainError, name: string, description: string) {
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

builder.objectType(InvalidInputError, {
  name: 'ValidationError',
  description: 'The input is malformed; nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({
    fieldErrors: t.field({ type: [FieldError], resolve: (error) => error.issues }),
  }),
})

errorType(NotFoundError, 'NotFoundError', 'The object does not exist or is not visible to you.')
errorType(ForbiddenError, 'ForbiddenError', 'The signed-in user may not perform this action.')

/** Default members of every mutation result union. */
export const commonErrors = [InvalidInputError, NotFoundError, ForbiddenError]

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

/**
 * The `errors` option of a mutation field whose success type is its own object type (no `<Name>Success` wrapper):
 * `<Name>Result = <success type> | <types>`.
 */
export function directResult(name: string, types: (new (...args: never[]) => Error)[]) {
  return { types, union: { name: `${name}Result` }, directResult: true as const }
}
