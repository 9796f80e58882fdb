// AES-256-GCM for app-specific passwords. Each ciphertext names its key, so keys rotate without a flag day; the
// Apple ID is authenticated data, so a ciphertext copied onto another integration row fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const ALGORITHM = 'aes-256-gcm'
const NONCE_BYTES = 12
const VERSION = 'v1'

export class CredentialDecryptionError extends Error {
  constructor(reason: string) {
    super(`Stored credential cannot be decrypted: ${reason}`)
  }
}

export interface EncryptedCredential {
  ciphertext: string
  keyId: string
}

export class CredentialCipher {
  private readonly keys: Map<string, Buffer>
  readonly currentKeyId: string

  /** `keys`: `id:base64(32 bytes)` pairs separated by commas; the first one encrypts. */
  constructor(keys: string) {
    this.keys = new Map()
    for (const entry of keys
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const separator = entry.indexOf(':')
      const id = entry.slice(0, separator)
      const key = Buffer.from(entry.slice(separator + 1), 'base64')
      if (separator < 1 || key.length !== 32) {
        throw new Error('ENCRYPTION_KEYS entries must be "<keyId>:<base64 of 32 bytes>"')
      }
      this.keys.set(id, key)
    }
    const first = this.keys.keys().next()
    if (first.done) throw new Error('ENCRYPTION_KEYS holds no key')
    this.currentKeyId = first.value
  }

  encrypt(plaintext: string, associatedData: string): EncryptedCredential {
    const key = this.keys.get(this.currentKeyId)!
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv(ALGORITHM, key, nonce)
    cipher.setAAD(Buffer.from(associatedData, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    const parts = [VERSION, this.currentKeyId, nonce, cipher.getAuthTag(), body]
    return {
      ciphertext: parts.map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.'),
      keyId: this.currentKeyId,
    }
  }

  decrypt(ciphertext: string, associatedData: string): string {
    const [version, keyId, nonce, tag, body] = ciphertext.split('.')
    if (version !== VERSION || !keyId || !nonce || !tag || body === undefined) {
      throw new CredentialDecryptionError('unknown format')
    }
    const key = this.keys.get(keyId)
    if (!key) throw new CredentialDecryptionError(`key "${keyId}" is not configured`)
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(nonce, 'base64url'))
      decipher.setAAD(Buffer.from(associatedData, 'utf8'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    } catch {
      throw new CredentialDecryptionError('authentication failed (tampered ciphertext or wrong key)')
    }
  }

  needsRotation(keyId: string): boolean {
    return keyId !== this.currentKeyId
  }
}
