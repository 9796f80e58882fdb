// Manage tokens: what an invitee's "reschedule or cancel" link carries instead of an account.
//
// An HS256 JWT (jose, as for bearer tokens) whose subject is the appointment id. Signed, not stored: the server needs
// no token table, a forged or altered token fails the signature, `exp` bounds its life, and the algorithm is pinned
// on verify. The key is derived from the server's AUTH_SECRET with HKDF (RFC 5869) under its own label, and the token
// has its own audience, so a manage token is never a valid bearer token and the other way round. It carries only the
// opaque appointment id, no personal data.
import { hkdfSync } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'

const ISSUER = 'icloud-scheduling-api'
const AUDIENCE = 'booking-manage'
/** A link keeps working this long after the appointment ended (to look it up), then expires. */
const MANAGE_TOKEN_GRACE_SECONDS = 30 * 86_400

export class ManageTokenService {
  private readonly key: Uint8Array

  constructor(authSecret: string) {
    this.key = new Uint8Array(hkdfSync('sha256', authSecret, '', 'manage-token-v1', 32))
  }

  sign(appointmentId: string, appointmentEnd: Date): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(appointmentId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(appointmentEnd.getTime() / 1000) + MANAGE_TOKEN_GRACE_SECONDS)
      .sign(this.key)
  }

  /** The appointment id, or null for anything that is not a valid, unexpired manage token of this server. */
  async verify(token: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      })
      return typeof payload.sub === 'string' ? payload.sub : null
    } catch {
      return null
    }
  }
}
