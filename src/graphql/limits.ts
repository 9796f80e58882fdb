// Limits on what one operation may ask for (graphql-armor), the same on every transport. Each refusal is a
// validation error with its own stable code (README "Limits and errors"); a token bomb fails parsing. Cost is
// ./cost.ts.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor'
import { GraphQLError } from 'graphql'

type RefusalOptions = Pick<
  NonNullable<NonNullable<Parameters<typeof EnvelopArmorPlugin>[0]>['maxDepth']>,
  'onReject' | 'propagateOnRejection'
>

const operationLimits = {
  maxDepth: 12,
  maxAliases: 20,
  maxDirectives: 20,
  maxTokens: 3000,
}

/**
 * Report the refusal as a validation error with `code` instead of throwing it: a thrown error skips the validation
 * result (no code over HTTP; a closed socket over graphql-ws).
 */
function refuseWith(code: string): RefusalOptions {
  return {
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(new GraphQLError(error.message, { extensions: { code } }))],
  }
}

export function operationLimitsPlugin() {
  return EnvelopArmorPlugin({
    maxDepth: { n: operationLimits.maxDepth, ...refuseWith('QUERY_TOO_DEEP') },
    maxAliases: { n: operationLimits.maxAliases, ...refuseWith('TOO_MANY_ALIASES') },
    maxDirectives: { n: operationLimits.maxDirectives, ...refuseWith('TOO_MANY_DIRECTIVES') },
    maxTokens: { n: operationLimits.maxTokens },
    // Cost is ./cost.ts: armor's cost limit cannot count list sizes.
    costLimit: { enabled: false },
    // Suggestions are hidden in production by ./suggestions.ts, which covers every form of them.
    blockFieldSuggestion: { enabled: false },
  })
}
