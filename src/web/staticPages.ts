// Serves the pages built by Vite into web/dist/ (booking widget, manage page, iCloud settings page, embed.js):
// GET and HEAD only, a fixed set of routes (no file-system paths from the URL), content types, caching and a CSP.
import { readFile, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { contentSecurityPolicy, contentTypes, routeFor } from './pageRoutes.ts'

/** web/dist from both src/web (tsx) and dist/web (compiled). */
export const defaultDistDir = fileURLToPath(new URL('../../web/dist/', import.meta.url))

export interface StaticPagesOptions {
  distDir?: string
  /** CORS_ORIGINS: who may frame the settings page. */
  crmOrigins: string[] | '*'
}

/** Returns a handler that answers and returns true for page URLs, false for everything else. */
export function createStaticPages(options: StaticPagesOptions) {
  const distDir = options.distDir ?? defaultDistDir
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    const route = routeFor(pathname)
    if (!route) return false
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return true
    }
    void sendFile(path.join(distDir, route.file), req, res, {
      'content-type': contentTypes[path.extname(route.file)] ?? 'application/octet-stream',
      'cache-control': route.cacheControl,
      'content-security-policy': contentSecurityPolicy(route.framing, options.crmOrigins),
      'x-content-type-options': 'nosniff',
      // The manage page's URL carries the manage token: never send it to other sites.
      'referrer-policy': 'no-referrer',
    })
    return true
  }
}

async function sendFile(file: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>) {
  let body: Buffer
  let etag: string
  try {
    const info = await stat(file)
    etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`
    body = await readFile(file)
  } catch {
    const missing = file.endsWith('.html') || file.endsWith('embed.js')
    res.writeHead(missing ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(missing ? 'The pages are not built yet: run `npm run web:build`.\n' : 'Not found\n')
    return
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag, 'cache-control': headers['cache-control']! }).end()
    return
  }
  res.writeHead(200, { ...headers, etag, 'content-length': body.length })
  res.end(req.method === 'HEAD' ? undefined : body)
}
