import { CalDavError, CalDavIncompleteAnswerError, errorForStatus, redactUrl } from './errors.ts'
import type { HttpResult, HttpTransport } from './http.ts'
import { MalformedXmlError, parseMultistatus, propfindBody, type Multistatus, type QName } from './xml.ts'

export interface MultistatusResult extends Multistatus {
  /** URL that answered (after redirects): hrefs resolve against it. */
  url: string
}

/** Sends a PROPFIND/REPORT and returns the raw HTTP result; callers decide what a non-207 status means. */
export const davRequest = (
  t: HttpTransport,
  method: 'PROPFIND' | 'REPORT',
  url: string,
  depth: '0' | '1',
  body: string,
): Promise<HttpResult> =>
  t.request(method, url, {
    headers: { Depth: depth, 'Content-Type': 'application/xml; charset=utf-8', Accept: 'application/xml, text/xml' },
    body,
  })

export const readMultistatus = (res: HttpResult, what: string): MultistatusResult => {
  if (res.status !== 207 && res.status !== 200) throw errorForStatus(res.status, what, res.url)
  const ms = parseWellFormed(res, what)
  if (!ms)
    throw new CalDavError(`${what} ${redactUrl(res.url)}: answer is not a DAV:multistatus`, { status: res.status })
  return { ...ms, url: res.url }
}

const parseWellFormed = (res: HttpResult, what: string): Multistatus | null => {
  try {
    return parseMultistatus(res.body)
  } catch (error) {
    if (!(error instanceof MalformedXmlError)) throw error
    throw new CalDavIncompleteAnswerError(
      `${what} ${redactUrl(res.url)}: the answer is not well-formed XML (cut off?): ${error.message}`,
      { status: res.status },
    )
  }
}

export const davMultistatus = async (
  t: HttpTransport,
  method: 'PROPFIND' | 'REPORT',
  url: string,
  depth: '0' | '1',
  body: string,
): Promise<MultistatusResult> => readMultistatus(await davRequest(t, method, url, depth, body), method)

/** PROPFIND for these properties, answered with a DAV:multistatus. */
export const propfind = (
  t: HttpTransport,
  url: string,
  depth: '0' | '1',
  props: readonly QName[],
): Promise<MultistatusResult> => davMultistatus(t, 'PROPFIND', url, depth, propfindBody(props))

/** Path of an href as the server wrote it, resolved against the URL that answered. */
export const hrefPath = (href: string, base: string): string => new URL(href, base).pathname

/** A path's identity: without trailing slash and percent-decoding, so differently encoded hrefs compare equal. */
export const pathKey = (p: string): string => {
  const s = p.endsWith('/') ? p.slice(0, -1) : p
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** Same resource? Compares paths with and without trailing slash, ignoring percent-encoding differences. */
export const samePath = (a: string, b: string): boolean => pathKey(a) === pathKey(b)

export const ensureTrailingSlash = (url: string): string => {
  const u = new URL(url)
  if (!u.pathname.endsWith('/')) u.pathname += '/'
  return u.href
}
