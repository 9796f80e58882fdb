import { CalDavAuthError, CalDavError, CalDavNotFoundError, redactUrl } from './errors.ts'
import { davRequest, readMultistatus, type MultistatusResult } from './dav.ts'
import type { HttpTransport } from './http.ts'
import { NS, child, propfindBody, prop, textOf } from './xml.ts'

export interface Discovery {
  principalUrl: string
  homeUrl: string
}

const findHrefProp = (ms: MultistatusResult, ns: string, name: string): string | null => {
  for (const r of ms.responses) {
    const href = textOf(child(prop(r, ns, name), NS.DAV, 'href'))
    // Hrefs resolve against the URL that answered: after a redirect that is another host (RFC 4918 §8.3).
    if (href) return new URL(href, ms.url).href
  }
  return null
}

const principalAt = async (t: HttpTransport, url: string): Promise<string | null> => {
  const res = await davRequest(t, 'PROPFIND', url, '0', propfindBody([[NS.DAV, 'current-user-principal']]))
  if (res.status === 404 || res.status === 405 || res.status === 501) return null
  return findHrefProp(readMultistatus(res, 'PROPFIND'), NS.DAV, 'current-user-principal')
}

/** RFC 6764 §6: current-user-principal on the entry URL (or its /.well-known/caldav), then calendar-home-set. */
export const discover = async (t: HttpTransport, serverUrl: string): Promise<Discovery> => {
  let principalUrl = await principalAt(t, serverUrl)
  if (!principalUrl) {
    const wellKnown = new URL('/.well-known/caldav', serverUrl).href
    if (wellKnown !== serverUrl) principalUrl = await principalAt(t, wellKnown)
  }
  if (!principalUrl) {
    throw new CalDavNotFoundError(`PROPFIND ${redactUrl(serverUrl)}: no current-user-principal (not a CalDAV server?)`)
  }
  const res = await davRequest(t, 'PROPFIND', principalUrl, '0', propfindBody([[NS.CALDAV, 'calendar-home-set']]))
  // The principal is the user's own resource: being refused it means the credentials do not belong to it.
  if (res.status === 403) {
    throw new CalDavAuthError(`PROPFIND ${redactUrl(principalUrl)}: 403 Forbidden on the principal`, { status: 403 })
  }
  const homeUrl = findHrefProp(readMultistatus(res, 'PROPFIND'), NS.CALDAV, 'calendar-home-set')
  if (!homeUrl) throw new CalDavError(`PROPFIND ${redactUrl(principalUrl)}: no calendar-home-set`)
  return { principalUrl, homeUrl }
}
