// The app-specific password: its shape, its encryption at rest (Apple ID as associated data), and the user-facing
// errors of CalDAV failures. The client built from it: caldavSession.ts.
import { CalDavAuthError, CalDavError, CalDavRateLimitedError, CalDavUnavailableError } from '../../caldav/index.ts'
import type { Services } from '../../app/services.ts'
import type { Integration } from '../../generated/prisma/client.ts'
import { ICloudUnavailableError, InvalidCredentialsError } from './errors.ts'

/** Apple IDs are e-mail addresses, matched case-insensitively; stored lower-case (Integration.appleId is unique). */
export const normalizeAppleId = (appleId: string): string => appleId.trim().toLowerCase()

/**
 * `abcd-efgh-ijkl-mnop` as Apple shows it; users paste it with spaces, in upper case or without dashes.
 * Returns the canonical form, or null when it is not shaped like an app-specific password.
 */
export function normalizeAppSpecificPassword(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '').toLowerCase()
  if (!/^[a-z0-9]{16}$/.test(compact)) return null
  return compact.match(/.{4}/g)!.join('-')
}

export interface StoredCredential {
  credentialCiphertext: string
  credentialKeyId: string
}

export function encryptCredential(
  services: Pick<Services, 'cipher'>,
  appleId: string,
  appSpecificPassword: string,
): StoredCredential {
  const { ciphertext, keyId } = services.cipher.encrypt(appSpecificPassword, normalizeAppleId(appleId))
  return { credentialCiphertext: ciphertext, credentialKeyId: keyId }
}

/** Throws CredentialDecryptionError on a tampered row, a row moved to another Apple ID or a missing key. */
export function decryptCredential(
  services: Pick<Services, 'cipher'>,
  integration: Pick<Integration, 'appleId' | 'credentialCiphertext'>,
): string {
  return services.cipher.decrypt(integration.credentialCiphertext, normalizeAppleId(integration.appleId))
}

/** Maps CalDAV failures of an interactive flow to the user-facing errors; anything else is rethrown. */
export function toUserFacingError(error: unknown): unknown {
  if (error instanceof CalDavAuthError) return new InvalidCredentialsError()
  if (error instanceof CalDavRateLimitedError) return new ICloudUnavailableError('iCloud is throttling requests')
  if (error instanceof CalDavUnavailableError) return new ICloudUnavailableError()
  // 404 on discovery, unexpected statuses, unreadable XML: iCloud is not answering as a CalDAV server should.
  if (error instanceof CalDavError) return new ICloudUnavailableError('unexpected answer from the server')
  return error
}
