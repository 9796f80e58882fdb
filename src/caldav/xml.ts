import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { DAVNamespace } from 'tsdav'
import { emptyMultistatusToken } from './emptyMultistatus.ts'

// WebDAV answers use arbitrary prefixes (Apple declares default namespaces per element), so elements are matched by
// (namespace URI, local name) after resolving xmlns declarations, never by prefix.

export const NS = {
  DAV: DAVNamespace.DAV as string,
  CALDAV: DAVNamespace.CALDAV as string,
  CS: DAVNamespace.CALENDAR_SERVER as string,
  APPLE: DAVNamespace.CALDAV_APPLE as string,
} as const

export interface XmlElement {
  ns: string
  name: string
  attrs: Record<string, string>
  children: XmlElement[]
  text: string
}

const PREFIX: Record<string, string> = { [NS.DAV]: 'd', [NS.CALDAV]: 'c', [NS.CS]: 'cs', [NS.APPLE]: 'ca' }

export type QName = readonly [ns: string, name: string]

export const escapeXml = (s: string): string =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)

const qname = ([ns, name]: QName): string => `${PREFIX[ns] ?? 'd'}:${name}`

/** Empty property element, e.g. `<d:getetag/>`. */
export const el = (q: QName): string => `<${qname(q)}/>`

/** Element with raw (already escaped / built) inner XML. */
export const wrap = (q: QName, inner: string): string => `<${qname(q)}>${inner}</${qname(q)}>`

/** Root element with all namespaces declared. iCloud answers 400 when anything precedes `<?xml`. */
export const document = (root: QName, inner: string): string => {
  const xmlns = Object.entries(PREFIX)
    .map(([uri, p]) => ` xmlns:${p}="${uri}"`)
    .join('')
  return `<?xml version="1.0" encoding="utf-8"?><${qname(root)}${xmlns}>${inner}</${qname(root)}>`
}

export const propfindBody = (props: readonly QName[]): string =>
  document([NS.DAV, 'propfind'], wrap([NS.DAV, 'prop'], props.map(el).join('')))

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
})

type RawNode = Record<string, unknown> & { ':@'?: Record<string, string> }

const convert = (node: RawNode, scope: Record<string, string>): XmlElement | string | null => {
  const attrs = node[':@'] ?? {}
  const key = Object.keys(node).find((k) => k !== ':@')
  if (key === undefined) return null
  // Text nodes hold strings or numbers (parseTagValue is off, so strings); never objects.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  if (key === '#text') return String(node[key] ?? '')
  if (key.startsWith('?') || key.startsWith('!')) return null
  const local: Record<string, string> = { ...scope }
  const plainAttrs: Record<string, string> = {}
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'xmlns') local[''] = v
    else if (k.startsWith('xmlns:')) local[k.slice(6)] = v
    else plainAttrs[k] = v
  }
  const colon = key.indexOf(':')
  const prefix = colon === -1 ? '' : key.slice(0, colon)
  const name = colon === -1 ? key : key.slice(colon + 1)
  const children: XmlElement[] = []
  let text = ''
  for (const child of (node[key] as RawNode[] | undefined) ?? []) {
    const c = convert(child, local)
    if (typeof c === 'string') text += c
    else if (c) children.push(c)
  }
  return { ns: local[prefix] ?? '', name, attrs: plainAttrs, children, text }
}

/** The XML is not well-formed: typically an answer cut off mid-body, which a lenient parse would shorten silently. */
export class MalformedXmlError extends Error {}

/** Parses a well-formed document; throws MalformedXmlError otherwise (the parser alone accepts unclosed elements). */
const parseXml = (xml: string): XmlElement | null => {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new MalformedXmlError(`${valid.err.msg} (line ${valid.err.line})`)
  const nodes = parser.parse(xml) as RawNode[]
  for (const node of nodes) {
    const c = convert(node, { xml: 'http://www.w3.org/XML/1998/namespace' })
    if (c && typeof c !== 'string') return c
  }
  return null
}

export const child = (e: XmlElement | undefined, ns: string, name: string): XmlElement | undefined =>
  e?.children.find((c) => c.ns === ns && c.name === name)

export const children = (e: XmlElement | undefined, ns: string, name: string): XmlElement[] =>
  e?.children.filter((c) => c.ns === ns && c.name === name) ?? []

export const textOf = (e: XmlElement | undefined): string | null => (e ? e.text.trim() : null)

export interface DavResponse {
  href: string
  /** Status of the whole response element (RFC 4918 §14.24), when given instead of propstats. */
  status: number | null
  /** Properties found with a 2xx propstat. */
  props: XmlElement[]
}

const statusCode = (line: string | null): number | null => {
  const m = /^\S+\s+(\d{3})/.exec(line ?? '')
  return m ? Number(m[1]) : null
}

export interface Multistatus {
  responses: DavResponse[]
  syncToken: string | null
}

export const parseMultistatus = (xml: string): Multistatus | null => {
  const token = emptyMultistatusToken(xml)
  if (token !== null) return { responses: [], syncToken: token }
  const root = parseXml(xml)
  if (!root || root.ns !== NS.DAV || root.name !== 'multistatus') return null
  const responses: DavResponse[] = []
  for (const r of children(root, NS.DAV, 'response')) {
    const href = textOf(child(r, NS.DAV, 'href'))
    if (!href) continue
    const props: XmlElement[] = []
    for (const ps of children(r, NS.DAV, 'propstat')) {
      const st = statusCode(textOf(child(ps, NS.DAV, 'status')))
      if (st !== null && (st < 200 || st > 299)) continue
      props.push(...(child(ps, NS.DAV, 'prop')?.children ?? []))
    }
    responses.push({ href, status: statusCode(textOf(child(r, NS.DAV, 'status'))), props })
  }
  return { responses, syncToken: textOf(child(root, NS.DAV, 'sync-token')) }
}

export const prop = (r: DavResponse, ns: string, name: string): XmlElement | undefined =>
  r.props.find((p) => p.ns === ns && p.name === name)

/** Text of a property, null when absent or empty. */
export const propText = (r: DavResponse, ns: string, name: string): string | null => {
  const t = textOf(prop(r, ns, name))
  return t ? t : null
}
