// Server-to-server API keys, one subaccount each: `sk_` + 32 random bytes (base64url). Only the SHA-256 of the key is
// stored. A fast hash is right here, unlike for passwords: with 256 bits of entropy there is nothing to guess, so a
// slow hash would only add latency to every request; and a plain digest can be looked up by index.
import { createHash, randomBytes } from 'node:crypto'
import type { Services } from '../app/services.ts'
import type { ApiKey } from '../generated/prisma/client.ts'

const API_KEY_PREFIX = 'sk_'
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8
/** lastUsedAt is a hint for admins; writing it on every request would cost a write per call. */
const LAST_USED_GRANULARITY_MS = 60_000

function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function isApiKeyShaped(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX)
}

export interface CreatedApiKey {
  apiKey: ApiKey
  /** The key itself: shown once, never stored. */
  secret: string
}

export async function createApiKey(
  services: Pick<Services, 'prisma'>,
  input: { subaccountId: string; name: string; createdByUserId: string | null },
): Promise<CreatedApiKey> {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url')
  const apiKey = await services.prisma.apiKey.create({
    data: {
      subaccountId: input.subaccountId,
      name: input.name,
      prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
      secretHash: hashApiKey(secret),
      createdByUserId: input.createdByUserId,
    },
  })
  return { apiKey, secret }
}

/** Revokes the key if it belongs to the subaccount; null when it does not. Revoking twice keeps the first time. */
export async function revokeApiKey(
  services: Pick<Services, 'prisma'>,
  subaccountId: string,
  apiKeyId: string,
): Promise<ApiKey | null> {
  await services.prisma.apiKey.updateMany({
    where: { id: apiKeyId, subaccountId, revokedAt: null },
    data: { revokedAt: new Date() },
  })
  return services.prisma.apiKey.findFirst({ where: { id: apiKeyId, subaccountId } })
}

/** The unrevoked key with this secret, or null. */
export async function findActiveApiKey(
  services: Pick<Services, 'prisma'>,
  secret: string,
): Promise<Pick<ApiKey, 'id' | 'subaccountId'> | null> {
  const key = await services.prisma.apiKey.findUnique({
    where: { secretHash: hashApiKey(secret) },
    select: { id: true, subaccountId: true, revokedAt: true, lastUsedAt: true },
  })
  if (!key || key.revokedAt) return null
  const now = Date.now()
  if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await services.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } })
  }
  return { id: key.id, subaccountId: key.subaccountId }
}
