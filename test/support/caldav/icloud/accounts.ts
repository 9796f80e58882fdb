import { randomBytes, randomInt } from 'node:crypto'
import type { AddAccountOptions } from './types.ts'

export interface AccountRecord {
  /** lower-cased: Apple IDs are e-mail addresses, matched case-insensitively */
  appleId: string
  appSpecificPassword: string
  normalPassword?: string
  revoked: boolean
  dsid: string
  /** The Radicale login backing this account; its collections live under /<radicaleUser>/. */
  radicaleUser: string
  radicalePassword: string
  /** Calendar names shared with this account read-only */
  readOnlyShared: Set<string>
  /** Set once the account moved to the second partition host: how the old host answers for the home. */
  moved?: { oldHostAnswers: 404 | 301 }
}

export class AccountStore {
  private readonly byAppleId = new Map<string, AccountRecord>()
  private readonly byDsid = new Map<string, AccountRecord>()

  create(opts: AddAccountOptions): AccountRecord {
    const appleId = opts.appleId.toLowerCase()
    if (this.byAppleId.has(appleId)) throw new Error(`account ${opts.appleId} exists`)
    const dsid = opts.dsid ?? this.newDsid()
    if (!/^\d+$/.test(dsid)) throw new Error(`dsid must be numeric, got ${dsid}`)
    if (this.byDsid.has(dsid)) throw new Error(`dsid ${dsid} taken`)
    const record: AccountRecord = {
      appleId,
      appSpecificPassword: opts.appSpecificPassword,
      normalPassword: opts.normalPassword,
      revoked: false,
      dsid,
      radicaleUser: `u${dsid}`,
      radicalePassword: randomBytes(12).toString('hex'),
      readOnlyShared: new Set(),
    }
    this.byAppleId.set(appleId, record)
    this.byDsid.set(dsid, record)
    return record
  }

  /**
   * Only the current app-specific password opens the account. The normal Apple ID password, a wrong one and a
   * revoked app-specific password all fail the same way (iCloud answers an identical 401).
   */
  authenticate(authorization: string | undefined): AccountRecord | undefined {
    const credentials = parseBasic(authorization)
    if (!credentials) return undefined
    const record = this.byAppleId.get(credentials.username.toLowerCase())
    if (!record || record.revoked) return undefined
    return credentials.password === record.appSpecificPassword ? record : undefined
  }

  private newDsid(): string {
    for (;;) {
      const dsid = String(randomInt(1_000_000_000, 20_000_000_000))
      if (!this.byDsid.has(dsid)) return dsid
    }
  }
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

export function radicaleAuthorization(record: AccountRecord): string {
  return `Basic ${Buffer.from(`${record.radicaleUser}:${record.radicalePassword}`).toString('base64')}`
}
