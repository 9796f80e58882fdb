// The answer of an unchanged calendar to a sync-collection, a multistatus holding only the sync-token, is most of what
// a worker reads: recognised here without the generic parser (validating and building a tree costs ~10 times more).
// Anything not exactly that shape, or not resolving both elements to DAV:, returns null and takes the generic path.

const NAME = String.raw`[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?`
const ATTRS = String.raw`(?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<&]*"|'[^'<&]*'))*`
const SHAPE = new RegExp(
  String.raw`^\s*(?:<\?xml\s[^<>?]*\?>\s*)?` +
    String.raw`<(${NAME})(${ATTRS})\s*>\s*<(${NAME})(${ATTRS})\s*>([^<&]*)</\3\s*>\s*</\1\s*>\s*$`,
)
const ATTR = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g
const DAV = 'DAV:'

/** An element's attributes as [name, value] pairs; null on a duplicate (malformed). */
function attributes(text: string): [string, string][] | null {
  const out: [string, string][] = []
  ATTR.lastIndex = 0
  for (let m = ATTR.exec(text); m; m = ATTR.exec(text)) {
    const name = m[1]!
    if (out.some(([seen]) => seen === name)) return null
    out.push([name, m[2] ?? m[3] ?? ''])
  }
  return out
}

/** The namespace a prefix ('' for none) is bound to, innermost element first. */
function namespaceOf(prefix: string, scopes: [string, string][][]): string | undefined {
  const declaration = prefix === '' ? 'xmlns' : `xmlns:${prefix}`
  for (const attrs of scopes) {
    const found = attrs.find(([name]) => name === declaration)
    if (found) return found[1]
  }
  return undefined
}

function isDav(qualified: string, local: string, scopes: [string, string][][]): boolean {
  const colon = qualified.indexOf(':')
  if (qualified.slice(colon + 1) !== local) return false
  return namespaceOf(colon === -1 ? '' : qualified.slice(0, colon), scopes) === DAV
}

/** The sync-token of a DAV:multistatus with no response in it; null when the answer is anything else. */
export function emptyMultistatusToken(xml: string): string | null {
  const m = SHAPE.exec(xml)
  if (!m) return null
  const [, rootName, rootAttrs, tokenName, tokenAttrs, text] = m
  const root = attributes(rootAttrs!)
  const token = attributes(tokenAttrs!)
  if (!root || !token) return null
  if (!isDav(rootName!, 'multistatus', [root]) || !isDav(tokenName!, 'sync-token', [token, root])) return null
  return text!.trim()
}
