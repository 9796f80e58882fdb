// Who is calling: a CRM user (a JWT, provisioned just in time when allowed) or a subaccount's service principal (an
// API key). Null means "no valid credentials"; the transports turn that into UNAUTHENTICATED / close 4401.
import type { Services } from '../app/services.ts'
import { resolveMember } from '../accounts/provisioning.ts'
import type { Role } from '../generated/prisma/enums.ts'
import { singleFlightPer } from '../timing/singleFlight.ts'
import { findActiveApiKey, isApiKeyShaped } from './apiKeys.ts'

export type Principal =
  | {
      kind: 'USER'
      userId: string
      subaccountId: string
      role: Role
      apiKeyId: null
      /** The token's `exp`: subscriptions end then. */
      expiresAt: Date
    }
  | {
      /** An API key: acts for the whole subaccount, with an admin's rights over its data, but is no user. */
      kind: 'API_KEY'
      userId: null
      subaccountId: string
      role: 'ADMIN'
      apiKeyId: string
      expiresAt: null
    }

function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
  return match?.[1] ?? null
}

/**
 * Requests with the same token at the same moment (a client opening many subscriptions at once, each checked at
 * connection_init and again per operation) share one verification and one membership read. Nothing is kept once a
 * check settles, so a removed member is refused from the next request on.
 */
const sharedCheck = singleFlightPer(principalOf)

export async function authenticate(
  services: Services,
  authorization: string | null | undefined,
): Promise<Principal | null> {
  const token = bearerToken(authorization)
  return token ? sharedCheck(services, token) : null
}

async function principalOf(services: Services, token: string): Promise<Principal | null> {
  if (isApiKeyShaped(token)) {
    const key = await findActiveApiKey(services, token)
    if (!key) return null
    return {
      kind: 'API_KEY',
      userId: null,
      subaccountId: key.subaccountId,
      role: 'ADMIN',
      apiKeyId: key.id,
      expiresAt: null,
    }
  }
  const verified = await services.tokens.verify(token)
  if (!verified) return null
  const member = await resolveMember(services, verified.identity, services.config.auth.provisioning)
  if (!member) return null
  const { userId, subaccountId } = verified.identity
  return { kind: 'USER', userId, subaccountId, role: member.role, apiKeyId: null, expiresAt: verified.expiresAt }
}
