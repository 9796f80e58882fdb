// Which built file answers which URL, and how long browsers may keep it. The pages read their parameters (slugs,
// manage token) from location.pathname, so every booking URL serves the same HTML.

export interface PageRoute {
  /** Relative to web/dist. */
  file: string
  cacheControl: string
  /** Who may put the page in an iframe (CSP frame-ancestors). */
  framing: 'anyone' | 'crm' | 'none'
}

const html = 'no-cache'
const pages: [RegExp, PageRoute][] = [
  [/^\/book\/manage\/[^/]+\/?$/, { file: 'booking/index.html', cacheControl: html, framing: 'anyone' }],
  [/^\/book\/[^/]+\/[^/]+\/?$/, { file: 'booking/index.html', cacheControl: html, framing: 'anyone' }],
  [/^\/settings\/icloud\/?$/, { file: 'settings/index.html', cacheControl: html, framing: 'crm' }],
  // A fixed URL pasted into CRM sites: short caching so a new build reaches them soon.
  [/^\/embed\.js$/, { file: 'embed.js', cacheControl: 'public, max-age=300', framing: 'none' }],
]

/** Content-hashed build output: cached for a year. */
const asset = /^\/assets\/([\w.-]+)$/

export function routeFor(pathname: string): PageRoute | null {
  for (const [pattern, route] of pages) if (pattern.test(pathname)) return route
  const name = asset.exec(pathname)?.[1]
  if (name && !name.startsWith('.')) {
    return { file: `assets/${name}`, cacheControl: 'public, max-age=31536000, immutable', framing: 'none' }
  }
  return null
}

export const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
}

/** Scripts, styles and connections (HTTP and graphql-ws) to this origin only; nothing inline. */
export function contentSecurityPolicy(framing: PageRoute['framing'], crmOrigins: string[] | '*'): string {
  const ancestors = framing === 'anyone' || crmOrigins === '*' ? '*' : crmOrigins.join(' ') || "'none'"
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${framing === 'none' ? "'none'" : ancestors}`,
  ].join('; ')
}
