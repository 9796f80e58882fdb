// In production, no error message says "Did you mean …": graphql-js suggests the nearest field, argument, type and
// enum value names, which would let a caller without introspection map the schema by trial. armor's
// blockFieldSuggestion masks only the `Did you mean "x"?` form of validation errors; this removes every form
// (`Did you mean the enum value "X"?` too) from validation errors and from variable coercion errors, which graphql-js
// reports at execution. Envelop hooks, so graphql-ws operations (which go through the same envelop) are covered too.
import type { ExecutionResult, GraphQLError } from 'graphql'
import { usePayloadFormatter, type Plugin } from 'graphql-yoga'
import type { GraphQLContext } from './context.ts'

const suggestion = / *Did you mean [^?]*\?/g

function withoutSuggestion<E extends GraphQLError | Error>(error: E): E {
  if (error.message.includes('Did you mean')) error.message = error.message.replace(suggestion, '').trimEnd()
  return error
}

function resultWithoutSuggestions(result: ExecutionResult): ExecutionResult | false {
  if (!result.errors?.some((error) => error.message.includes('Did you mean'))) return false
  return { ...result, errors: result.errors.map(withoutSuggestion) }
}

/** Strips suggestions from validation errors and from execution (variable coercion) errors. */
export function hideSuggestionsPlugin() {
  const validation: Plugin<GraphQLContext> = {
    onValidate:
      () =>
      ({ valid, result, setResult }) => {
        if (!valid) setResult(result.map(withoutSuggestion))
      },
  }
  return [validation, usePayloadFormatter(resultWithoutSuggestions)]
}
