import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config.ts'
import { CredentialCipher } from '../../../src/security/credentialCipher.ts'
import { generateEncryptionKey, loadSecrets } from '../../../src/security/secrets.ts'

describe('loadSecrets', () => {
  let dataDir: string
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'secrets-test-'))
  })
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('generates secrets into the data dir with mode 0600 and reuses them on the next start', async () => {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir })
    const first = await loadSecrets(config)
    const file = path.join(dataDir, 'secrets.json')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(first)
    const cipher = new CredentialCipher(first.encryptionKeys)
    expect(cipher.currentKeyId).toBe('k1')
    const second = await loadSecrets(config)
    expect(second).toEqual(first)
    // A ciphertext written before a restart stays readable after it.
    const { ciphertext } = cipher.encrypt('abcd-efgh-ijkl-mnop', 'a@b.c')
    expect(new CredentialCipher(second.encryptionKeys).decrypt(ciphertext, 'a@b.c')).toBe('abcd-efgh-ijkl-mnop')
  })

  it('prefers ENCRYPTION_KEYS and AUTH_SECRET from the environment and writes nothing then', async () => {
    const keys = generateEncryptionKey('env1')
    const secret = 'x'.repeat(40)
    const config = loadConfig({ DATA_DIR: dataDir, ENCRYPTION_KEYS: keys, AUTH_SECRET: secret })
    expect(await loadSecrets(config)).toEqual({ authSecret: secret, encryptionKeys: keys })
    await expect(stat(path.join(dataDir, 'secrets.json'))).rejects.toThrow(/ENOENT/)
  })

  it('refuses to generate secrets in production', async () => {
    const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })
    await expect(loadSecrets(config)).rejects.toThrow(/must be set in production/)
  })
})
