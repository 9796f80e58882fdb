import { describe, expect, it } from 'vitest'
import { claimsFromIdentity, identityFromClaims, type ClaimMapping } from '../../../src/auth/claims.ts'
import { loadConfig } from '../../../src/config.ts'

const defaults: ClaimMapping = { claims: loadConfig({}).auth.claims, adminRoles: ['admin', 'owner'] }

describe('claim mapping', () => {
  it('reads the OpenID Connect-style defaults', () => {
    expect(
      identityFromClaims(
        {
          sub: 'u1',
          subaccount_id: 's1',
          email: 'A@Example.com',
          name: ' Ann ',
          role: 'Owner',
          zoneinfo: 'Europe/Paris',
        },
        defaults,
      ),
    ).toEqual({
      userId: 'u1',
      subaccountId: 's1',
      email: 'a@example.com',
      name: 'Ann',
      role: 'ADMIN',
      timeZone: 'Europe/Paris',
    })
  })

  it('reads namespaced claims by exact name and nested ones by dotted path', () => {
    const mapping: ClaimMapping = {
      claims: { ...defaults.claims, subaccountId: 'https://crm.example/location', role: 'app_metadata.roles' },
      adminRoles: ['admin'],
    }
    const identity = identityFromClaims(
      { sub: 42, 'https://crm.example/location': 'loc-9', app_metadata: { roles: ['staff', 'ADMIN'] } },
      mapping,
    )
    expect(identity).toEqual({ userId: '42', subaccountId: 'loc-9', role: 'ADMIN' })
  })

  it('refuses an identity without usable ids and ignores malformed optional claims', () => {
    expect(identityFromClaims({ sub: 'u1' }, defaults)).toBeNull()
    expect(identityFromClaims({ sub: 'a\u0000b', subaccount_id: 's' }, defaults)).toBeNull()
    expect(identityFromClaims({ sub: 'x'.repeat(129), subaccount_id: 's' }, defaults)).toBeNull()
    expect(
      identityFromClaims(
        { sub: 'u', subaccount_id: 's', email: 'not-an-email', zoneinfo: 'Mars/Olympus', role: 7 },
        defaults,
      ),
    ).toEqual({ userId: 'u', subaccountId: 's' })
  })

  it('round-trips through the claims this server signs', () => {
    const identity = { userId: 'u', subaccountId: 's', email: 'u@x.example', role: 'ADMIN' as const, timeZone: 'UTC' }
    expect(identityFromClaims(claimsFromIdentity(identity, defaults), defaults)).toEqual(identity)
  })
})

describe('auth configuration', () => {
  it('needs AUTH_ISSUER with AUTH_JWKS_URL, and provisions just in time only in development by default', () => {
    expect(() => loadConfig({ AUTH_JWKS_URL: 'https://idp.example/jwks.json' })).toThrow(/AUTH_ISSUER/)
    expect(loadConfig({}).auth.provisioning).toBe('jit')
    expect(loadConfig({ NODE_ENV: 'production' }).auth.provisioning).toBe('off')
    expect(loadConfig({ NODE_ENV: 'production', AUTH_PROVISIONING: 'jit' }).auth.provisioning).toBe('jit')
  })
})
