import { describe, expect, it } from 'vitest'
import { CredentialCipher, CredentialDecryptionError } from '../../../src/security/credentialCipher.ts'
import { generateEncryptionKey } from '../../../src/security/secrets.ts'

const password = 'abcd-efgh-ijkl-mnop'
const appleId = 'jane.doe@icloud.com'

/** Flips one bit of the base64url-encoded part at `index` (0 version, 1 key id, 2 nonce, 3 tag, 4 body). */
function tamper(ciphertext: string, index: number): string {
  const parts = ciphertext.split('.')
  const bytes = Buffer.from(parts[index]!, 'base64url')
  bytes[0] = bytes[0]! ^ 0x01
  parts[index] = bytes.toString('base64url')
  return parts.join('.')
}

describe('CredentialCipher', () => {
  const k1 = generateEncryptionKey('k1')
  const cipher = new CredentialCipher(k1)

  it('round-trips and names its key', () => {
    const encrypted = cipher.encrypt(password, appleId)
    expect(encrypted.keyId).toBe('k1')
    expect(encrypted.ciphertext).not.toContain(password)
    expect(encrypted.ciphertext.split('.')[1]).toBe('k1')
    expect(cipher.decrypt(encrypted.ciphertext, appleId)).toBe(password)
  })

  it('uses a fresh random nonce for every encryption', () => {
    const a = cipher.encrypt(password, appleId).ciphertext
    const b = cipher.encrypt(password, appleId).ciphertext
    expect(a).not.toBe(b)
    expect(a.split('.')[2]).not.toBe(b.split('.')[2])
    expect(Buffer.from(a.split('.')[2]!, 'base64url')).toHaveLength(12)
  })

  it('fails loudly on a tampered nonce, tag or body instead of returning garbage', () => {
    const { ciphertext } = cipher.encrypt(password, appleId)
    for (const index of [2, 3, 4]) {
      expect(() => cipher.decrypt(tamper(ciphertext, index), appleId)).toThrow(CredentialDecryptionError)
    }
    const truncated = ciphertext.slice(0, -4)
    expect(() => cipher.decrypt(truncated, appleId)).toThrow(CredentialDecryptionError)
    expect(() => cipher.decrypt('not a ciphertext', appleId)).toThrow(CredentialDecryptionError)
    expect(() => cipher.decrypt(ciphertext.replace(/^v1\./, 'v9.'), appleId)).toThrow(CredentialDecryptionError)
  })

  it('refuses a ciphertext under another Apple ID (wrong associated data)', () => {
    const { ciphertext } = cipher.encrypt(password, appleId)
    expect(() => cipher.decrypt(ciphertext, 'someone.else@icloud.com')).toThrow(CredentialDecryptionError)
  })

  it('refuses a ciphertext whose key is not configured, and one whose key id was swapped', () => {
    const { ciphertext } = cipher.encrypt(password, appleId)
    const other = new CredentialCipher(generateEncryptionKey('k2'))
    expect(() => other.decrypt(ciphertext, appleId)).toThrow(/key "k1" is not configured/)
    const sameIdOtherKey = new CredentialCipher(generateEncryptionKey('k1'))
    expect(() => sameIdOtherKey.decrypt(ciphertext, appleId)).toThrow(CredentialDecryptionError)
  })

  it('keeps rows under an old key readable after rotation and encrypts new ones with the new key', () => {
    const old = cipher.encrypt(password, appleId)
    const rotated = new CredentialCipher(`${generateEncryptionKey('k2')},${k1}`)
    expect(rotated.currentKeyId).toBe('k2')
    expect(rotated.decrypt(old.ciphertext, appleId)).toBe(password)
    expect(rotated.needsRotation(old.keyId)).toBe(true)
    const fresh = rotated.encrypt(password, appleId)
    expect(fresh.keyId).toBe('k2')
    expect(rotated.needsRotation(fresh.keyId)).toBe(false)
    // The old configuration cannot read what the new key wrote.
    expect(() => cipher.decrypt(fresh.ciphertext, appleId)).toThrow(CredentialDecryptionError)
  })

  it('rejects malformed key configuration', () => {
    expect(() => new CredentialCipher('')).toThrow(/no key/)
    expect(() => new CredentialCipher('k1:dG9vc2hvcnQ=')).toThrow(/32 bytes/)
    expect(() => new CredentialCipher(`:${Buffer.alloc(32).toString('base64')}`)).toThrow(/keyId/)
  })
})
