// The Pothos builder and its plugins. Domain types live in ./types, ./mutations and ./subscriptions.
import SchemaBuilder from '@pothos/core'
import ErrorsPlugin from '@pothos/plugin-errors'
import PrismaPlugin from '@pothos/plugin-prisma'
import RelayPlugin from '@pothos/plugin-relay'
import ScopeAuthPlugin from '@pothos/plugin-scope-auth'
import ValidationPlugin from '@pothos/plugin-validation'
import type PrismaTypes from '../generated/pothos-types.ts'
import { getDatamodel } from '../generated/pothos-types.ts'
import { isProductionProcess } from '../config.ts'
import type { GraphQLContext } from './context.ts'

export interface SchemaTypes {
  Context: GraphQLContext
  PrismaTypes: PrismaTypes
  AuthScopes: { admin: boolean; subaccount: string; user: string }
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: Date; Output: Date | string }
    TimeZone: { Input: string; Output: string }
    EmailAddress: { Input: string; Output: string }
  }
}

export const builder = new SchemaBuilder<SchemaTypes>({
  // Order as the Pothos docs advise: scope-auth first, errors before prisma.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      admin: context.viewer.role === 'ADMIN',
      subaccount: (subaccountId) => context.viewer.subaccountId === subaccountId,
      user: (userId) => context.viewer.userId === userId,
    }),
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
