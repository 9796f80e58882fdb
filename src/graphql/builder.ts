// The Pothos builder and its plugins. Domain types live in ./types, ./mutations and ./subscriptions.
import SchemaBuilder from '@pothos/core'
import ComplexityPlugin from '@pothos/plugin-complexity'
import ErrorsPlugin from '@pothos/plugin-errors'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import ValidationPlugin from '@pothos/plugin-validation'
import { InvalidInputError } from '../errors.ts'
import type PrismaTypes from '../generated/pothos-types.ts'
import { getDatamodel } from '../generated/pothos-types.ts'
import { isProductionProcess } from '../config.ts'
import type { GraphQLContext } from './context.ts'
import { defaultFieldCost } from './cost.ts'
import { decodeCheckedGlobalID, inputTextPluginName } from './inputTextPlugin.ts'

export interface SchemaTypes {
  Context: GraphQLContext
  PrismaTypes: PrismaTypes
  AuthScopes: { admin: boolean; humanAdmin: boolean; subaccount: string; user: string }
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: Date; Output: Date | string }
    TimeZone: { Input: string; Output: string }
    EmailAddress: { Input: string; Output: string }
  }
}

export const builder = new SchemaBuilder<SchemaTypes>({
  // Order as the Pothos docs advise: scope-auth first, errors before prisma.
  // Text inputs (./inputTextPlugin.ts) are checked before any other argument mapping.
  plugins: [
    ScopeAuthPlugin,
    ErrorsPlugin,
    inputTextPluginName,
    PrismaPlugin,
    RelayPlugin,
    ValidationPlugin,
    ComplexityPlugin,
  ],
  defaultFieldNullability: false,
  // Each field's cost (./cost.ts); the limit is checked at validation by costLimitPlugin, not here.
  complexity: { fieldComplexity: defaultFieldCost },
  scopeAuth: {
    authorizeOnSubscribe: true,
    // The public path has no viewer: it holds no scope.
    authScopes: (context) =>
      context.publicClient
        ? { admin: false, humanAdmin: false, subaccount: () => false, user: () => false }
        : {
            admin: context.viewer.role === 'ADMIN',
            // An admin user, not an API key (which acts as the subaccount's service principal without a user).
            humanAdmin: context.viewer.role === 'ADMIN' && context.viewer.userId !== null,
            subaccount: (subaccountId) => context.viewer.subaccountId === subaccountId,
            user: (userId) => context.viewer.userId === userId,
          },
  },
  prisma: {
    client: (context) => context.services.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    // A root resolver that forgets `...query` would silently N+1: make it a bug the tests see, not one that fails
    // requests in production.
    onUnusedQuery: isProductionProcess ? null : 'error',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    decodeGlobalID: decodeCheckedGlobalID,
  },
  validation: {
    // Schema validation fails with the same domain error as the domain's own checks: one ValidationError shape.
    validationError: (failure) =>
      new InvalidInputError(
        failure.issues.map((issue) => ({
          path: (issue.path ?? []).map((segment) =>
            String(typeof segment === 'object' && segment !== null ? segment.key : segment),
          ),
          message: issue.message,
        })),
      ),
  },
  errors: {
    defaultTypes: [],
    // Malformed input becomes the ValidationError union member. Safe here: every operation is authenticated before
    // execution, and a validation error reveals nothing but the caller's own input.
    unsafelyHandleInputErrors: true,
  },
})

builder.mutationType({
  description: 'Every mutation takes one `input` and returns a result union of success and error types.',
})
builder.subscriptionType({ description: 'Live updates over graphql-ws (or SSE); authorized on subscribe.' })
