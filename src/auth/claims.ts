// Claim mapping: which claims of a verified token name the user, the subaccount and the profile (config.auth.claims).
import type { ClaimNames } from '../config.ts'
import type { Role } from '../generated/prisma/enums.ts'
import { isValidTimeZone } from '../time/zoneOffsets.ts'

/** Who a token speaks for, in the CRM's own ids. Profile fields are present only when the token carries them. */
export interface TokenIdentity {
  userId: string
  subaccountId: string
  email?: string
  name?: string
  role?: Role
  timeZone?: string
}

export interface ClaimMapping {
  claims: ClaimNames
  adminRoles: string[]
}

const MAX_ID = 128
const MAX_NAME = 200
// Same shape rules as the GraphQL EmailAddress scalar would apply; the claim is the CRM's, so only its size matters.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/

/** Reads a claim by its exact name (namespaced URLs contain dots), else by a dotted path into nested objects. */
function readClaim(payload: Record<string, unknown>, name: string): unknown {
  if (name in payload) return payload[name]
  let value: unknown = payload
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

function id(value: unknown): string | null {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_ID) return null
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(text) ? null : text
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  // eslint-disable-next-line no-control-regex
  return trimmed.length > 0 && trimmed.length <= max && !/[\u0000-\u001f\u007f]/.test(trimmed) ? trimmed : undefined
}

function role(value: unknown, adminRoles: string[]): Role | undefined {
  const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')
  if (values.length === 0) return undefined
  return values.some((v) => adminRoles.includes(v.toLowerCase())) ? 'ADMIN' : 'USER'
}

/** The identity a verified payload carries, or null when it names no usable user or subaccount. */
export function identityFromClaims(payload: Record<string, unknown>, mapping: ClaimMapping): TokenIdentity | null {
  const { claims } = mapping
  const userId = id(readClaim(payload, claims.userId))
  const subaccountId = id(readClaim(payload, claims.subaccountId))
  if (!userId || !subaccountId) return null
  const email = text(readClaim(payload, claims.email), 254)?.toLowerCase()
  const name = text(readClaim(payload, claims.name), MAX_NAME)
  const mappedRole = role(readClaim(payload, claims.role), mapping.adminRoles)
  const timeZone = text(readClaim(payload, claims.timeZone), 64)
  // A malformed optional field is ignored rather than failing the login: the identity itself is sound.
  const identity: TokenIdentity = { userId, subaccountId }
  if (email && EMAIL.test(email)) identity.email = email
  if (name) identity.name = name
  if (mappedRole) identity.role = mappedRole
  if (timeZone && isValidTimeZone(timeZone)) identity.timeZone = timeZone
  return identity
}

/** The claims that carry an identity, under the configured names (for tokens this server signs). */
export function claimsFromIdentity(identity: TokenIdentity, mapping: ClaimMapping): Record<string, unknown> {
  const { claims } = mapping
  const out: Record<string, unknown> = {
    [claims.userId]: identity.userId,
    [claims.subaccountId]: identity.subaccountId,
  }
  if (identity.email) out[claims.email] = identity.email
  if (identity.name) out[claims.name] = identity.name
  if (identity.role) out[claims.role] = identity.role === 'ADMIN' ? (mapping.adminRoles[0] ?? 'admin') : 'user'
  if (identity.timeZone) out[claims.timeZone] = identity.timeZone
  return out
}
