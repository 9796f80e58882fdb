// Rewrites Radicale's XML so that it looks like it came from the iCloud layout. Radicale 3.1.8 writes DAV: as the
// default namespace (<response>, <href>), but every pattern accepts an optional prefix.
import type { AccountRecord } from './accounts.ts'
import { escapeXml, unescapeXml } from './davXml.ts'
import { parseRoute, principalPath, type PathMapper } from './paths.ts'

export interface RewriteContext {
  account: AccountRecord
  mapper: PathMapper
  /** Origin of the backing Radicale, e.g. http://127.0.0.1:1234 */
  upstreamOrigin: string
  /** Origin of the partition host, used when an href was an absolute URL */
  partitionOrigin: string
}

/** Radicale href (path or URL on Radicale) → client href (path or URL on the partition host). */
export function hrefToClient(href: string, ctx: RewriteContext): string {
  if (href.startsWith(ctx.upstreamOrigin)) {
    return ctx.partitionOrigin + ctx.mapper.toClient(href.slice(ctx.upstreamOrigin.length))
  }
  return href.startsWith('/') ? ctx.mapper.toClient(href) : href
}

/** Maps hrefs in a request body (e.g. calendar-multiget) from the iCloud layout to Radicale's. */
export function rewriteRequestHrefs(body: string, mapper: PathMapper): string {
  return body.replace(
    /(<((?:[\w.-]+:)?)href(?:\s[^>]*)?>)([^<]*)(<\/\2href>)/g,
    (match, open: string, _prefix: string, value: string, close: string) => {
      const mapped = mapper.toUpstream(unescapeXml(value))
      return mapped === undefined ? match : open + escapeXml(mapped) + close
    },
  )
}

export function rewriteResponseXml(xml: string, ctx: RewriteContext): string {
  const upstreamHome = ctx.mapper.upstreamHome
  // Radicale's principal and home are the same collection; iCloud separates them.
  let out = xml.replace(
    /(<((?:[\w.-]+:)?)(?:current-user-principal|principal-URL|owner)>\s*<((?:[\w.-]+:)?)href>)([^<]*)(<\/\3href>)/g,
    (match, open: string, _p: string, _hp: string, value: string, close: string) =>
      value === upstreamHome || value === ctx.upstreamOrigin + upstreamHome
        ? open + principalPath(ctx.account.dsid) + close
        : match,
  )
  out = out.replace(
    /(<((?:[\w.-]+:)?)href>)([^<]*)(<\/\2href>)/g,
    (_m, open: string, _p: string, value: string, close: string) =>
      open + escapeXml(hrefToClient(unescapeXml(value), ctx)) + close,
  )
  return out.replace(/<((?:[\w.-]+:)?)response>([\s\S]*?)<\/\1response>/g, (match, prefix: string, inner: string) => {
    const href = new RegExp(`<${prefix}href>([^<]*)</${prefix}href>`).exec(inner)?.[1]
    if (!href) return match
    return `<${prefix}response>${rewriteResponseBlock(inner, unescapeXml(href), ctx)}</${prefix}response>`
  })
}

function rewriteResponseBlock(inner: string, href: string, ctx: RewriteContext): string {
  const route = parseRoute(new URL(href, 'http://x').pathname)
  if (route.kind === 'home') {
    return inner.replace(/<((?:[\w.-]+:)?)principal\s*\/>/g, '')
  }
  if (route.kind === 'calendar' && ctx.account.readOnlyShared.has(route.calendar)) {
    let block = inner.replace(
      /<((?:[\w.-]+:)?)current-user-privilege-set>[\s\S]*?<\/\1current-user-privilege-set>/g,
      (_m, p: string) =>
        `<${p}current-user-privilege-set><${p}privilege><${p}read /></${p}privilege>` +
        `<${p}privilege><${p}read-current-user-privilege-set /></${p}privilege></${p}current-user-privilege-set>`,
    )
    if (route.rest === '') {
      block = block.replace(
        /<\/((?:[\w.-]+:)?)resourcetype>/,
        (close) => `<shared xmlns="http://calendarserver.org/ns/" />${close}`,
      )
    }
    return block
  }
  return inner
}

/** Splices extra <response> elements into a multistatus, before its closing tag. */
export function appendResponses(xml: string, responses: string[]): string {
  const close = /<\/((?:[\w.-]+:)?)multistatus>\s*$/.exec(xml)
  if (!close) return xml
  return xml.slice(0, close.index) + responses.join('') + xml.slice(close.index)
}
