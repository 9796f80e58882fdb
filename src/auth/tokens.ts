// Bearer tokens: HS256 JWTs naming the user and the subaccount they act in.
import { jwtVerify, SignJWT } from 'jose'

export interface TokenClaims {
  userId: string
  subaccountId: string
}

const ISSUER = 'icloud-scheduling-api'

export class TokenService {
  private readonly key: Uint8Array

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret)
  }

  sign(claims: TokenClaims, expiresIn = '30d'): Promise<string> {
    return new SignJWT({ sid: claims.subaccountId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(this.key)
  }

  /** Returns null for anything that is not a valid, unexpired token of ours. */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] })
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null
      return { userId: payload.sub, subaccountId: payload.sid }
    } catch {
      return null
    }
  }
}
