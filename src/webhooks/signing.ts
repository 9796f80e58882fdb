// Signing secrets and signatures per the Standard Webhooks specification, through its reference package: secrets are
// `whsec_` + base64 of 24 random bytes; the signature covers `${webhook-id}.${webhook-timestamp}.${body}`. During a
// rotation both secrets sign (space-separated `v1,…` entries), so a receiver holding either one verifies.
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import type { Services } from '../app/services.ts'

const SECRET_PREFIX = 'whsec_'

export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64')
}

/** Associated data of the ciphertext: a secret copied onto another endpoint row does not decrypt. */
const aad = (endpointId: string) => `webhook-endpoint:${endpointId}`

export function encryptSigningSecret(services: Pick<Services, 'cipher'>, endpointId: string, secret: string) {
  const { ciphertext, keyId } = services.cipher.encrypt(secret, aad(endpointId))
  return { ciphertext, keyId }
}

export function decryptSigningSecret(services: Pick<Services, 'cipher'>, endpointId: string, ciphertext: string) {
  return services.cipher.decrypt(ciphertext, aad(endpointId))
}

export interface SignedHeaders {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

export function signDelivery(secrets: string[], eventId: string, timestamp: Date, body: string): SignedHeaders {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(eventId, timestamp, body))
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  }
}
