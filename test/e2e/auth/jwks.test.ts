// Tokens from the CRM's identity provider: a JWKS served by a real HTTP server on loopback, keys rotated while the
// server runs, and the token rules (issuer, audience, exp required, maximum lifetime, clock skew).
import { describe, expect, it } from 'vitest'
import { startIdentityProvider, type TestIdentityProvider } from '../../support/identityProvider.ts'
import { useStarted } from '../../support/lifecycle.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { WhoAmIQuery } from './documents.ts'

const AUDIENCE = 'scheduling-api'
let idp: TestIdentityProvider
let t: TestApp

const unique = () => Math.random().toString(36).slice(2, 10)
const identity = () => {
  const id = unique()
  return { sub: `crm-user-${id}`, subaccount_id: `crm-location-${id}`, email: `${id}@crm.example`, aud: AUDIENCE }
}

async function whoAmI(token: string) {
  return t.client(token).execute(WhoAmIQuery)
}

useStarted(startIdentityProvider, (started) => (idp = started))
useTestApp(
  (app) => (t = app),
  () => ({
    AUTH_JWKS_URL: idp.jwksUrl,
    AUTH_ISSUER: idp.issuer,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_JWKS_COOLDOWN_SECONDS: '0',
    AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600',
    AUTH_PROVISIONING: 'jit',
  }),
)

describe('tokens from a JWKS', () => {
  it('accepts RS256, ES256 and EdDSA tokens, and a new kid without a restart', async () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const kid = await idp.rotate(alg)
      const claims = identity()
      const result = await whoAmI(await idp.sign(claims, { kid }))
      expect(result.errors, `${alg}: ${JSON.stringify(result.errors)}`).toBeUndefined()
      expect(result.data?.viewer.user).toMatchObject({ crmId: claims.sub, email: claims.email })
      expect(result.data?.viewer.subaccount.crmId).toBe(claims.subaccount_id)
    }
  })

  it('keeps the keys cached: the same kid again fetches nothing', async () => {
    const token = await idp.sign(identity())
    expect((await whoAmI(token)).errors).toBeUndefined()
    const before = idp.fetches
    for (let i = 0; i < 3; i++) expect((await whoAmI(await idp.sign(identity()))).errors).toBeUndefined()
    expect(idp.fetches).toBe(before)
  })

  it('refuses a token signed by a key the JWKS does not list', async () => {
    const rogue = await idp.rotate('RS256', { publish: false })
    const result = await whoAmI(await idp.sign(identity(), { kid: rogue }))
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    expect(result.status).toBe(401)
  })

  it('refuses a wrong issuer or audience, a missing exp, an expired token and one that lives too long', async () => {
    const claims = identity()
    const cases: [string, Promise<string>][] = [
      ['no exp', idp.sign(claims, { expiresInSeconds: null })],
      [
        'expired beyond the skew',
        idp.sign(claims, { issuedAt: Math.floor(Date.now() / 1000) - 600, expiresInSeconds: 120 }),
      ],
      ['lifetime over the maximum', idp.sign(claims, { expiresInSeconds: 7200 })],
      ['issued in the future', idp.sign(claims, { issuedAt: Math.floor(Date.now() / 1000) + 600 })],
      ['other audience', idp.sign({ ...claims, aud: 'another-app' })],
      ['no audience', idp.sign({ ...claims, aud: undefined })],
      ['no subaccount claim', idp.sign({ ...claims, subaccount_id: undefined })],
    ]
    for (const [name, token] of cases) {
      const result = await whoAmI(await token)
      expect(result.errors?.[0]?.extensions?.code, name).toBe('UNAUTHENTICATED')
    }
    const result = await whoAmI(await idp.sign({ ...claims, aud: AUDIENCE }))
    expect(result.errors).toBeUndefined()
  })

  it('tolerates a small clock skew: a token expired 10 s ago still works', async () => {
    const now = Math.floor(Date.now() / 1000)
    const token = await idp.sign(identity(), { issuedAt: now - 70, expiresInSeconds: 60 })
    expect((await whoAmI(token)).errors).toBeUndefined()
  })

  it('still accepts HS256 tokens signed with AUTH_SECRET (with the configured issuer)', async () => {
    const claims = identity()
    const token = await t.services.tokens.sign({
      userId: claims.sub,
      subaccountId: claims.subaccount_id,
      email: claims.email,
    })
    const result = await whoAmI(token)
    expect(result.errors).toBeUndefined()
    expect(result.data?.viewer.user.crmId).toBe(claims.sub)
  })
})

describe('an identity provider outage', () => {
  let idp2: TestIdentityProvider
  let app: TestApp

  useStarted(startIdentityProvider, (started) => (idp2 = started))
  // Cache lifetime 0: every verification wants a fresh JWKS, so the outage is felt at once.
  useTestApp(
    (started) => (app = started),
    () => ({
      AUTH_JWKS_URL: idp2.jwksUrl,
      AUTH_ISSUER: idp2.issuer,
      AUTH_JWKS_CACHE_SECONDS: '0',
      AUTH_JWKS_COOLDOWN_SECONDS: '0',
      AUTH_PROVISIONING: 'jit',
    }),
  )

  it('keeps verifying with the last keys fetched, and refuses keys it never saw', async () => {
    const claims = { sub: `u-${unique()}`, subaccount_id: `s-${unique()}`, email: 'outage@crm.example' }
    expect((await app.client(await idp2.sign(claims)).execute(WhoAmIQuery)).errors).toBeUndefined()
    idp2.setDown(true)
    const fetchesBefore = idp2.fetches
    const during = await app.client(await idp2.sign(claims)).execute(WhoAmIQuery)
    expect(during.errors).toBeUndefined()
    expect(idp2.fetches).toBeGreaterThan(fetchesBefore)
    const unseen = await idp2.rotate('ES256')
    const refused = await app.client(await idp2.sign(claims, { kid: unseen })).execute(WhoAmIQuery)
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    idp2.setDown(false)
    const after = await app.client(await idp2.sign(claims, { kid: unseen })).execute(WhoAmIQuery)
    expect(after.errors).toBeUndefined()
  })
})
