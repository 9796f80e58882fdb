import { createGraphQLError } from 'graphql-yoga'
import type { Services } from '../app/services.ts'
import type { Role } from '../generated/prisma/enums.ts'

/** The signed-in user acting in one subaccount. */
export interface Viewer {
  userId: string
  subaccountId: string
  role: Role
}

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
export function unauthenticated(): Error {
  return createGraphQLError('A valid bearer token is required (Authorization: Bearer <token>).', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  })
}

/** Resolves the bearer token to a viewer; a token whose user left the subaccount is as good as none. */
export async function authenticate(services: Services, authorization: string | null | undefined): Promise<Viewer> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
  if (!match?.[1]) throw unauthenticated()
  const claims = await services.tokens.verify(match[1])
  if (!claims) throw unauthenticated()
  const membership = await services.prisma.membership.findUnique({
    where: { userId_subaccountId: { userId: claims.userId, subaccountId: claims.subaccountId } },
    select: { role: true },
  })
  if (!membership) throw unauthenticated()
  return { userId: claims.userId, subaccountId: claims.subaccountId, role: membership.role }
}
