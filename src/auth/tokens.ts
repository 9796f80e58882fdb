// Bearer tokens (JWTs): the CRM's, verified with its JWKS (RS256, ES256, EdDSA), and HS256 ones signed with
// AUTH_SECRET (this server's own, e.g. the demo tokens, or a CRM sharing the secret). Every token must carry `exp`
// and live no longer than AUTH_MAX_TOKEN_LIFETIME_SECONDS: a leaked token is worth little and never forever.
import { jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import type { AuthConfig } from '../config.ts'
import { claimsFromIdentity, identityFromClaims, type ClaimMapping, type TokenIdentity } from './claims.ts'
import { createJwksKeyResolver } from './jwks.ts'

export interface VerifiedToken {
  identity: TokenIdentity
  expiresAt: Date
}

/** The claims of the tokens this server signs: the user and subaccount (CRM ids) and optional profile fields. */
export type TokenClaims = TokenIdentity

const OWN_ISSUER = 'icloud-scheduling-api'
const ASYMMETRIC = ['RS256', 'ES256', 'EdDSA', 'Ed25519']

export class TokenService {
  private readonly secret: Uint8Array
  private readonly jwks: JWTVerifyGetKey | null
  private readonly issuer: string
  private readonly mapping: ClaimMapping

  constructor(
    secret: string,
    private readonly config: AuthConfig,
  ) {
    this.secret = new TextEncoder().encode(secret)
    this.issuer = config.issuer ?? OWN_ISSUER
    this.mapping = { claims: config.claims, adminRoles: config.adminRoles }
    this.jwks = config.jwksUrl
      ? createJwksKeyResolver(config.jwksUrl, {
          cacheSeconds: config.jwksCacheSeconds,
          cooldownSeconds: config.jwksCooldownSeconds,
        })
      : null
  }

  /** An HS256 token; lifetime in seconds, at most (and by default) the configured maximum. */
  sign(claims: TokenClaims, lifetimeSeconds = this.config.maxTokenLifetimeSeconds): Promise<string> {
    const seconds = Math.min(lifetimeSeconds, this.config.maxTokenLifetimeSeconds)
    const jwt = new SignJWT(claimsFromIdentity(claims, this.mapping))
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(this.issuer)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    if (this.config.audience) jwt.setAudience(this.config.audience)
    return jwt.sign(this.secret)
  }

  /** Null for anything that is not a valid, unexpired token of an accepted issuer naming a user and subaccount. */
  async verify(token: string): Promise<VerifiedToken | null> {
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, this.keyFor, {
        algorithms: this.jwks ? ['HS256', ...ASYMMETRIC] : ['HS256'],
        issuer: this.issuer,
        ...(this.config.audience ? { audience: this.config.audience } : {}),
        clockTolerance: this.config.clockSkewSeconds,
        requiredClaims: ['exp'],
      }))
    } catch {
      return null
    }
    if (!this.lifetimeAllowed(payload)) return null
    const identity = identityFromClaims(payload, this.mapping)
    return identity ? { identity, expiresAt: new Date(payload.exp! * 1000) } : null
  }

  private readonly keyFor: JWTVerifyGetKey = (header, token) => {
    if (header.alg === 'HS256') return this.secret
    if (!this.jwks) throw new Error('asymmetric tokens need AUTH_JWKS_URL')
    return this.jwks(header, token)
  }

  private lifetimeAllowed(payload: JWTPayload): boolean {
    const now = Math.floor(Date.now() / 1000)
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : now
    if (issuedAt > now + this.config.clockSkewSeconds) return false
    return payload.exp! - issuedAt <= this.config.maxTokenLifetimeSeconds
  }
}
