// The app-specific password never leaves the server: not in responses, not in any log line, not in the database in
// clear. Stored credentials survive key rotation, and `npm run keys:rotate` re-encrypts them.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../src/app/app.ts'
import { loadConfig } from '../../../src/config.ts'
import { CredentialCipher, CredentialDecryptionError } from '../../../src/security/credentialCipher.ts'
import { rotateCredentials } from '../../../src/security/rotateCredentials.ts'
import { generateEncryptionKey } from '../../../src/security/secrets.ts'
import { encryptCredential } from '../../../src/integrations/icloud/credentials.ts'
import type { ICloudTestServer } from '../../support/caldav/icloud/index.ts'
import { createTeam, createUser } from '../../support/factories.ts'
import type { TestApp } from '../../support/testApp.ts'
import { ConnectICloud, RefreshCalendars, ReconnectICloud, ViewerIntegrations } from './documents.ts'
import { useICloudApp } from './icloudApp.ts'

let server: ICloudTestServer
let t: TestApp
const oldKeys = generateEncryptionKey('old')

useICloudApp((started) => ({ server, t } = started), { ENCRYPTION_KEYS: oldKeys, CALDAV_TIMEOUT_MS: '2000' })

describe('the app-specific password', () => {
  it('appears in no response, no log line and nowhere in the database in clear', async () => {
    const appleId = 'secret.keeper@icloud.com'
    const password = 'logs-cann-erpa-sswd'
    const normalPassword = 'S3cretNormal!Pass'
    const wrongPassword = 'wron-gsec-retp-assw'
    const account = await server.addAccount({ appleId, appSpecificPassword: password, normalPassword })
    await account.addCalendar('work', { displayName: 'Work' })
    const { user } = await createTeam(t.services)
    const client = t.client(user.token)
    const responses: unknown[] = []
    const run = async <R, V>(document: Parameters<typeof client.execute<R, V>>[0], variables?: V) => {
      const result = await client.execute(document, variables)
      responses.push(result)
      return result
    }

    await run(ConnectICloud, { input: { appleId, appSpecificPassword: normalPassword } })
    await run(ConnectICloud, { input: { appleId, appSpecificPassword: wrongPassword } })
    server.quirks.dropConnections = true
    await run(ConnectICloud, { input: { appleId, appSpecificPassword: password } })
    server.resetQuirks()
    const connected = await run(ConnectICloud, { input: { appleId, appSpecificPassword: 'LOGS CANN ERPA SSWD' } })
    const integrationId = (connected.data as { connectICloud: { integration: { id: string } } }).connectICloud
      .integration.id
    // Inline literals (as typed into GraphiQL) instead of variables, including a malformed request.
    await run(
      `mutation { reconnectICloud(input: { integrationId: "${integrationId}", appSpecificPassword: "${password}" }) { __typename } }`,
    )
    await run(
      `mutation { reconnectICloud(input: { integrationId: "${integrationId}", appSpecificPassword: "${password}" }) { nope } }`,
    )
    await run(ReconnectICloud, { input: { integrationId, appSpecificPassword: wrongPassword } })
    await run(RefreshCalendars, { input: { integrationId } })
    await run(ViewerIntegrations)
    // An unexpected failure (a tampered credential) is logged as an error: still without the password.
    const row = await t.services.prisma.integration.findUniqueOrThrow({ where: { appleId } })
    const parts = row.credentialCiphertext.split('.')
    parts[4] = Buffer.from('x'.repeat(19)).toString('base64url')
    await t.services.prisma.integration.update({
      where: { id: row.id },
      data: { credentialCiphertext: parts.join('.') },
    })
    const tampered = await run(RefreshCalendars, { input: { integrationId } })
    expect(tampered.errors?.[0]?.message).toBe('Unexpected error.')
    expect(t.rawLogs.join('\n')).toContain('cannot be decrypted')

    const variants = (secret: string) => {
      const compact = secret.replace(/-/g, '')
      return [secret, compact, secret.toUpperCase(), compact.toUpperCase(), secret.replace(/-/g, ' ')]
    }
    const secrets = [
      ...variants(password),
      ...variants(wrongPassword),
      normalPassword,
      Buffer.from(`${appleId}:${password}`).toString('base64'),
      Buffer.from(`${appleId}:${normalPassword}`).toString('base64'),
    ]
    const logs = t.rawLogs.join('\n')
    expect(t.rawLogs.length).toBeGreaterThan(10)
    expect(logs).toContain('iCloud connected')
    const everything = JSON.stringify(responses)
    const rows = JSON.stringify(await t.services.prisma.integration.findMany())
    for (const secret of secrets) {
      expect(logs.toLowerCase(), `log contains ${secret}`).not.toContain(secret.toLowerCase())
      expect(everything.toLowerCase(), `response contains ${secret}`).not.toContain(secret.toLowerCase())
      expect(rows.toLowerCase(), `database contains ${secret}`).not.toContain(secret.toLowerCase())
    }
  })
})

describe('credential key rotation', () => {
  async function storeIntegration(appleId: string, password: string, cipher = t.services.cipher) {
    const subaccount = (await createTeam(t.services)).subaccount
    const user = await createUser(t.services, subaccount.id)
    return t.services.prisma.integration.create({
      data: {
        userId: user.id,
        subaccountId: subaccount.id,
        appleId,
        ...encryptCredential({ cipher }, appleId, password),
        principalUrl: 'https://caldav.icloud.com/1/principal/',
        homeUrl: 'https://p1-caldav.icloud.com/1/calendars/',
      },
    })
  }

  it('keeps old rows readable under the new key list and re-encrypts them with the current key', async () => {
    const a = await storeIntegration('rotate-a@icloud.com', 'aaaa-aaaa-aaaa-aaaa')
    const b = await storeIntegration('rotate-b@icloud.com', 'bbbb-bbbb-bbbb-bbbb')
    const broken = await storeIntegration('rotate-c@icloud.com', 'cccc-cccc-cccc-cccc')
    await t.services.prisma.integration.update({
      where: { id: broken.id },
      data: { appleId: 'rotate-moved@icloud.com' }, // the AAD no longer matches: must fail, never decrypt
    })
    expect(a.credentialKeyId).toBe('old')

    const rotatedCipher = new CredentialCipher(`${generateEncryptionKey('new')},${oldKeys}`)
    // Readable before rotation thanks to the key id stored with the ciphertext.
    expect(rotatedCipher.decrypt(a.credentialCiphertext, a.appleId)).toBe('aaaa-aaaa-aaaa-aaaa')
    const services = { prisma: t.services.prisma, cipher: rotatedCipher, logger: t.services.logger }
    const report = await rotateCredentials(services, { batchSize: 2 })
    // (The row tampered with in the test above fails as well.)
    expect(report.failed).toContain(broken.id)
    expect(report.failed).not.toContain(a.id)
    expect(report.rotated).toBeGreaterThanOrEqual(2)

    for (const [row, password] of [
      [a, 'aaaa-aaaa-aaaa-aaaa'],
      [b, 'bbbb-bbbb-bbbb-bbbb'],
    ] as const) {
      const now = await t.services.prisma.integration.findUniqueOrThrow({ where: { id: row.id } })
      expect(now.credentialKeyId).toBe('new')
      expect(now.credentialCiphertext).not.toBe(row.credentialCiphertext)
      expect(rotatedCipher.decrypt(now.credentialCiphertext, now.appleId)).toBe(password)
      // Only the new key opens it now: the old key can be dropped once every row is rotated.
      expect(() => t.services.cipher.decrypt(now.credentialCiphertext, now.appleId)).toThrow(CredentialDecryptionError)
    }
    const untouched = await t.services.prisma.integration.findUniqueOrThrow({ where: { id: broken.id } })
    expect(untouched.credentialCiphertext).toBe(broken.credentialCiphertext)

    const second = await rotateCredentials(services)
    expect(second.rotated).toBe(0)
    expect(second.failed).toEqual(report.failed)
  })

  it('npm run keys:rotate re-encrypts the rows of a database', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'rotate-script-'))
    try {
      const env = { NODE_ENV: 'development', DATA_DIR: dataDir, AUTH_SECRET: 'y'.repeat(40), LOG_LEVEL: 'silent' }
      const { services, database, closePubSub } = await createServices(loadConfig({ ...env, ENCRYPTION_KEYS: oldKeys }))
      const subaccount = await services.prisma.subaccount.create({ data: { name: 'S' } })
      const user = await services.prisma.user.create({ data: { email: 'u@example.com', name: 'U' } })
      await services.prisma.integration.create({
        data: {
          userId: user.id,
          subaccountId: subaccount.id,
          appleId: 'script@icloud.com',
          ...encryptCredential(services, 'script@icloud.com', 'dddd-dddd-dddd-dddd'),
          principalUrl: 'https://caldav.icloud.com/1/principal/',
          homeUrl: 'https://p1-caldav.icloud.com/1/calendars/',
        },
      })
      await closePubSub()
      await database.close()

      const newKeys = `${generateEncryptionKey('next')},${oldKeys}`
      const { DATABASE_URL: _url, ...inherited } = process.env
      const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/rotateCredentials.ts'], {
        env: { ...inherited, ...env, ENCRYPTION_KEYS: newKeys },
      })
      expect(stdout).toContain('key next: 1 re-encrypted, 0 already current, 0 failed')

      const reopened = await createServices(loadConfig({ ...env, ENCRYPTION_KEYS: newKeys }))
      const row = await reopened.services.prisma.integration.findUniqueOrThrow({
        where: { appleId: 'script@icloud.com' },
      })
      expect(row.credentialKeyId).toBe('next')
      expect(reopened.services.cipher.decrypt(row.credentialCiphertext, row.appleId)).toBe('dddd-dddd-dddd-dddd')
      await reopened.closePubSub()
      await reopened.database.close()
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
    // A fresh embedded database runs its migrations: slow, but only once here.
  }, 180_000)
})
