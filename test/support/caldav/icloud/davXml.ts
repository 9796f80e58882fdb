// Small WebDAV XML helpers. Request bodies come from arbitrary clients (any prefixes), so namespaces are resolved;
// responses are generated with fixed prefixes declared on each <D:response>, so they can be spliced into Radicale's
// multistatus whatever prefixes it declared.

export const NS = {
  D: 'DAV:',
  C: 'urn:ietf:params:xml:ns:caldav',
  CS: 'http://calendarserver.org/ns/',
  A: 'http://apple.com/ns/ical/',
} as const

const PREFIX_BY_NS = new Map<string, string>(Object.entries(NS).map(([prefix, ns]) => [ns, prefix]))
const NS_DECLARATIONS = Object.entries(NS)
  .map(([prefix, ns]) => `xmlns:${prefix}="${ns}"`)
  .join(' ')

/** Clark notation: {namespace}localName */
export function clark(prefix: keyof typeof NS, localName: string): string {
  return `{${NS[prefix]}}${localName}`
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}

export interface RequestedProps {
  /** allprop, propname or an empty body (RFC 4918 §9.1: an empty PROPFIND body means allprop) */
  all: boolean
  /** Clark names, in request order */
  props: string[]
}

export function requestedProps(body: string): RequestedProps {
  if (!body.trim()) return { all: true, props: [] }
  const namespaces = namespaceDeclarations(body)
  if (/<(?:[\w.-]+:)?(?:allprop|propname)[\s/>]/.test(body)) return { all: true, props: [] }
  const prop = /<((?:[\w.-]+:)?)prop(?:\s[^>]*)?>([\s\S]*?)<\/\1prop>/.exec(body)
  if (!prop?.[2]) return { all: false, props: [] }
  const props: string[] = []
  for (const tag of prop[2].matchAll(/<([\w.-]+:)?([\w.-]+)(\s[^>]*)?\/?>/g)) {
    const prefix = tag[1] ? tag[1].slice(0, -1) : ''
    const localName = tag[2] ?? ''
    const inline = /xmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']/.exec(tag[3] ?? '')
    const ns = inline && (inline[1] ?? '') === prefix ? inline[2] : namespaces.get(prefix)
    props.push(`{${ns ?? ''}}${localName}`)
  }
  return { all: false, props }
}

function namespaceDeclarations(xml: string): Map<string, string> {
  const map = new Map<string, string>()
  for (const m of xml.matchAll(/xmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']/g)) {
    const prefix = m[1] ?? ''
    if (!map.has(prefix)) map.set(prefix, m[2] ?? '')
  }
  return map
}

/** Serializes one property element; value is inner XML using the D/C/CS/A prefixes. */
function propertyElement(clarkName: string, value: string | undefined): string {
  const match = /^\{([^}]*)\}(.+)$/.exec(clarkName)
  const ns = match?.[1] ?? ''
  const localName = match?.[2] ?? clarkName
  const prefix = PREFIX_BY_NS.get(ns)
  const open = prefix ? `${prefix}:${localName}` : `X:${localName} xmlns:X="${escapeXml(ns)}"`
  const close = prefix ? `${prefix}:${localName}` : `X:${localName}`
  return value === undefined || value === '' ? `<${open}/>` : `<${open}>${value}</${close}>`
}

/** A <D:response> for a resource with the given properties (clark name → inner XML). */
export function responseXml(href: string, available: Map<string, string>, requested: RequestedProps): string {
  const wanted = requested.all ? [...available.keys()] : requested.props
  const found = wanted.filter((p) => available.has(p))
  const missing = wanted.filter((p) => !available.has(p))
  const propstat = (props: string[], status: string, withValues: boolean) =>
    `<D:propstat><D:prop>${props.map((p) => propertyElement(p, withValues ? available.get(p) : undefined)).join('')}</D:prop>` +
    `<D:status>HTTP/1.1 ${status}</D:status></D:propstat>`
  return (
    `<D:response ${NS_DECLARATIONS}><D:href>${escapeXml(href)}</D:href>` +
    (found.length ? propstat(found, '200 OK', true) : '') +
    (missing.length ? propstat(missing, '404 Not Found', false) : '') +
    '</D:response>'
  )
}

export function multistatusXml(responses: string[], extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<D:multistatus xmlns:D="DAV:">${responses.join('')}${extra}</D:multistatus>`
}

export function hrefXml(href: string): string {
  return `<D:href>${escapeXml(href)}</D:href>`
}

export function privilegesXml(privileges: string[]): string {
  return privileges.map((p) => `<D:privilege><D:${p}/></D:privilege>`).join('')
}
