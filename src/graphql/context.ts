import { createGraphQLError } from 'graphql-yoga'
import type { Services } from '../app/services.ts'
import { authenticate as authenticatePrincipal, type Principal } from '../auth/authenticate.ts'

/** The caller acting in one subaccount: a signed-in user, or the subaccount's service principal (an API key). */
export type Viewer = Principal

/** Who calls the public path (no account): the address its rate limits count against. */
export interface PublicClient {
  ip: string
}

export interface GraphQLContext {
  services: Services
  viewer: Viewer
  /** Set on the public path (/public/graphql) only; public fields then apply its rate limits. */
  publicClient?: PublicClient
}

/**
 * The context of the public path: no viewer. Its persisted documents reach public fields only; should a staff field
 * ever be reached, it fails instead of acting for someone: reading `viewer` throws UNAUTHENTICATED (non-enumerable, so
 * where envelop copies the context the property is simply absent and the access fails, masked).
 */
export function publicContext(services: Services, publicClient: PublicClient): GraphQLContext {
  const context = { services, publicClient }
  Object.defineProperty(context, 'viewer', {
    enumerable: false,
    get(): never {
      throw unauthenticated()
    },
  })
  return context as GraphQLContext
}
function unauthenticated(): Error {
  return createGraphQLError('A valid bearer token is required (Authorization: Bearer <token>).', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  })
}

/** Resolves the bearer token to a viewer; a token whose user left the subaccount is as good as none. */
export async function authenticate(services: Services, authorization: string | null | undefined): Promise<Viewer> {
  const principal = await authenticatePrincipal(services, authorization)
  if (!principal) throw unauthenticated()
  return principal
}
