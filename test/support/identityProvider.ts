// A CRM identity provider for tests: a real HTTP server on loopback serving a JWKS, with key rotation, an outage
// switch, and a signer for tokens with any claims.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose'

type KeyAlgorithm = 'RS256' | 'ES256' | 'EdDSA'

interface SigningKey {
  published: boolean
  kid: string
  alg: KeyAlgorithm
  privateKey: CryptoKey
  publicJwk: JWK
}

export interface TestIdentityProvider {
  issuer: string
  jwksUrl: string
  /** How many times the JWKS was fetched. */
  fetches: number
  /** Adds a key and publishes it (unless `publish: false`, a key the JWKS never lists); returns its kid. */
  rotate(alg?: KeyAlgorithm, options?: { publish?: boolean }): Promise<string>
  /** Answers 503 while true. */
  setDown(down: boolean): void
  sign(
    claims: JWTPayload,
    options?: { kid?: string; expiresInSeconds?: number | null; issuedAt?: number },
  ): Promise<string>
  close(): Promise<void>
}

let counter = 0

async function newKey(alg: KeyAlgorithm): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {})
  const kid = `key-${++counter}-${alg}`
  return { published: true, kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } }
}

export async function startIdentityProvider(): Promise<TestIdentityProvider> {
  const keys: SigningKey[] = [await newKey('RS256')]
  let down = false
  const provider = { fetches: 0 } as TestIdentityProvider
  const server: Server = createServer((req, res) => {
    provider.fetches++
    if (down || req.url !== '/.well-known/jwks.json') {
      res.writeHead(down ? 503 : 404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ keys: keys.filter((key) => key.published).map((key) => key.publicJwk) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`
  return Object.assign(provider, {
    issuer: `${base}/`,
    jwksUrl: `${base}/.well-known/jwks.json`,
    async rotate(alg: KeyAlgorithm = 'RS256', options: { publish?: boolean } = {}) {
      const key = await newKey(alg)
      key.published = options.publish ?? true
      keys.push(key)
      return key.kid
    },
    setDown: (value: boolean) => {
      down = value
    },
    async sign(
      claims: JWTPayload,
      options: { kid?: string; expiresInSeconds?: number | null; issuedAt?: number } = {},
    ) {
      const key = options.kid ? keys.find((k) => k.kid === options.kid) : keys.filter((k) => k.published).at(-1)
      if (!key) throw new Error(`no key ${options.kid}`)
      const now = Math.floor(Date.now() / 1000)
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid })
        .setIssuer(`${base}/`)
        .setIssuedAt(options.issuedAt ?? now)
      const expiresIn = options.expiresInSeconds === undefined ? 600 : options.expiresInSeconds
      if (expiresIn !== null) jwt.setExpirationTime((options.issuedAt ?? now) + expiresIn)
      return jwt.sign(key.privateKey)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  })
}
