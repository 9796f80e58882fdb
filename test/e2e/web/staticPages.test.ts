// The pages served by the API process: routes, content types, caching, CSP, and nothing outside web/dist.
import { readdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultDistDir } from '../../../src/web/staticPages.ts'
import { startTestApp, type TestApp } from '../../support/testApp.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ CORS_ORIGINS: 'https://crm.example.com' })
})
afterAll(async () => {
  await t?.close()
})

const get = (path: string, init?: RequestInit) => fetch(`${t.url}${path}`, init)

describe('static pages', () => {
  it.each([
    ['/book/acme/intro-call', 'booking'],
    ['/book/manage/abc.def-ghi_jkl', 'manage'],
    ['/settings/icloud', 'settings'],
  ])('serves %s as HTML that is revalidated, with a strict CSP', async (path) => {
    const res = await get(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    const html = await res.text()
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/[\w-]+\.js"><\/script>/)
    expect(html).not.toMatch(/<script>|<style>/)
  })

  it('lets anyone frame the widget but only the CRM origins frame the settings page', async () => {
    expect((await get('/book/acme/intro-call')).headers.get('content-security-policy')).toContain('frame-ancestors *')
    expect((await get('/settings/icloud')).headers.get('content-security-policy')).toContain(
      'frame-ancestors https://crm.example.com',
    )
  })

  it('serves embed.js as JavaScript with short caching, and hashed assets as immutable', async () => {
    const embed = await get('/embed.js')
    expect(embed.status).toBe(200)
    expect(embed.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(embed.headers.get('cache-control')).toBe('public, max-age=300')
    expect(await embed.text()).toContain('data-calendar')

    const assets = await readdir(`${defaultDistDir}assets`)
    const css = assets.find((name) => name.endsWith('.css'))!
    const res = await get(`/assets/${css}`)
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const etag = res.headers.get('etag')!
    expect((await get(`/assets/${css}`, { headers: { 'if-none-match': etag } })).status).toBe(304)
  })

  it('answers only GET and HEAD, and never serves files outside the build', async () => {
    expect((await get('/settings/icloud', { method: 'POST' })).status).toBe(405)
    const head = await get('/settings/icloud', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    for (const path of ['/assets/..%2F..%2Fpackage.json', '/assets/../package.json', '/assets/.hidden', '/book/a']) {
      const res = await get(path)
      expect(res.headers.get('content-type') ?? '').not.toContain('text/javascript')
      expect(await res.text()).not.toContain('"dependencies"')
    }
    expect((await get('/assets/nope.js')).status).toBe(404)
    // The GraphQL endpoint and probes still answer.
    expect((await get('/healthz')).status).toBe(200)
  })
})
