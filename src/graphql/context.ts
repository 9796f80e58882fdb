import { createGraphQLError } from 'graphql-yoga'
import type { Services } from '../app/services.ts'
import { authenticate as authenticatePrincipal, type Principal } from '../auth/authenticate.ts'

/** The caller acting in one subaccount: a signed-in user, or the subaccount's service principal (an API key). */
export type Viewer = Principal

export interface GraphQLContext {
  services: Services
  viewer: Viewer
}

export function unauthenticated(): Error {
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
