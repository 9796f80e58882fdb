// Secrets come from the environment; the embedded default generates them once into the data dir (mode 0600) so that
// `npm start` works on a fresh machine and tokens and ciphertexts survive restarts.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.ts'

export interface Secrets {
  authSecret: string
  /** `keyId:base64key` pairs, comma-separated; the first encrypts, all decrypt. */
  encryptionKeys: string
}

export function generateEncryptionKey(keyId: string): string {
  return `${keyId}:${randomBytes(32).toString('base64')}`
}

export async function loadSecrets(config: Config): Promise<Secrets> {
  if (config.authSecret && config.encryptionKeys) {
    return { authSecret: config.authSecret, encryptionKeys: config.encryptionKeys }
  }
  if (config.env === 'production') {
    throw new Error('AUTH_SECRET and ENCRYPTION_KEYS must be set in production')
  }
  const file = path.resolve(config.dataDir, 'secrets.json')
  let stored: Partial<Secrets> = {}
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as Partial<Secrets>
  } catch {
    // first start: generated below
  }
  const secrets: Secrets = {
    authSecret: config.authSecret ?? stored.authSecret ?? randomBytes(48).toString('base64url'),
    encryptionKeys: config.encryptionKeys ?? stored.encryptionKeys ?? generateEncryptionKey('k1'),
  }
  if (secrets.authSecret !== stored.authSecret || secrets.encryptionKeys !== stored.encryptionKeys) {
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 })
    await chmod(file, 0o600)
  }
  return secrets
}
