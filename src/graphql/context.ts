import { createGraphQLError } from 'graphql-yoga'
import type { Services } from '../app/services.ts'
import type { Role } from '../generated/prisma/enums.ts'

/** The signed-in user acting in one subaccount. */
export interface Viewer {
  userId: string
  subaccountId: string
  role: Role
}

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
