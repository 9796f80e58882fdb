// The CRM identity provider's signing keys: jose's remote JWKS (cached; an unknown `kid` triggers a refetch, at most
// once per cooldown, so a rotated key is picked up without a restart). While the provider is unreachable the last
// keys fetched keep verifying: an outage of the IdP must not sign every user out.
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose'

export interface JwksOptions {
  cacheSeconds: number
  cooldownSeconds: number
  timeoutMs?: number
}

function isFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return false
  if (error instanceof errors.JWKSTimeout) return true
  // jose reports a non-200 answer or unparsable JSON as a plain JOSEError; fetch() itself throws a TypeError.
  return error instanceof TypeError || (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')
}

export function createJwksKeyResolver(url: string, options: JwksOptions): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    cacheMaxAge: options.cacheSeconds * 1000,
    cooldownDuration: options.cooldownSeconds * 1000,
    timeoutDuration: options.timeoutMs ?? 5000,
  })
  return async (header, token) => {
    try {
      return await remote(header, token)
    } catch (error) {
      const lastKnown = remote.jwks()
      if (lastKnown && isFetchFailure(error)) return createLocalJWKSet(lastKnown)(header, token)
      throw error
    }
  }
}
