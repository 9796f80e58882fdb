// Re-encrypts every stored credential that is not under the current key (the first of ENCRYPTION_KEYS). Old keys must
// stay configured until this has run; afterwards they can be dropped.
import type { Services } from '../app/services.ts'
import { CredentialDecryptionError } from './credentialCipher.ts'

export interface RotationReport {
  rotated: number
  alreadyCurrent: number
  /** Integration ids whose ciphertext could not be decrypted (tampered, or its key is no longer configured). */
  failed: string[]
}

export async function rotateCredentials(
  services: Pick<Services, 'prisma' | 'cipher' | 'logger'>,
  options: { batchSize?: number } = {},
): Promise<RotationReport> {
  const { prisma, cipher, logger } = services
  const batchSize = options.batchSize ?? 200
  const report: RotationReport = { rotated: 0, alreadyCurrent: 0, failed: [] }
  let cursor: string | undefined
  for (;;) {
    const rows = await prisma.integration.findMany({
      select: { id: true, appleId: true, credentialCiphertext: true, credentialKeyId: true },
      orderBy: { id: 'asc' },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    })
    if (rows.length === 0) break
    cursor = rows[rows.length - 1]!.id
    for (const row of rows) {
      if (!cipher.needsRotation(row.credentialKeyId)) {
        report.alreadyCurrent++
        continue
      }
      let plain: string
      try {
        plain = cipher.decrypt(row.credentialCiphertext, row.appleId)
      } catch (error) {
        if (!(error instanceof CredentialDecryptionError)) throw error
        report.failed.push(row.id)
        logger.error(
          { integrationId: row.id, keyId: row.credentialKeyId, reason: error.message },
          'credential rotation failed',
        )
        continue
      }
      const { ciphertext, keyId } = cipher.encrypt(plain, row.appleId)
      // Conditional on the old ciphertext: a reconnect that stored a new password meanwhile wins.
      const { count } = await prisma.integration.updateMany({
        where: { id: row.id, credentialCiphertext: row.credentialCiphertext },
        data: { credentialCiphertext: ciphertext, credentialKeyId: keyId },
      })
      if (count === 1) report.rotated++
      else report.alreadyCurrent++
    }
    if (rows.length < batchSize) break
  }
  logger.info({ ...report, failed: report.failed.length, keyId: cipher.currentKeyId }, 'credential rotation finished')
  return report
}
