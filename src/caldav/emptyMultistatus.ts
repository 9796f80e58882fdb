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

type Scope = Map<string, string>

/** The namespace declarations of an element on top of its parent's; null on a duplicate attribute (malformed). */
function declare(parent: Scope, attrs: string): Scope | null {
  const scope = new Map(parent)
  const seen = new Set<string>()
  for (const [, name, double, single] of attrs.matchAll(ATTR)) {
    if (seen.has(name!)) return null
    seen.add(name!)
    if (name === 'xmlns') scope.set('', double ?? single ?? '')
    else if (name!.startsWith('xmlns:')) scope.set(name!.slice(6), double ?? single ?? '')
  }
  return scope
}

function isDav(qualified: string, scope: Scope, local: string): boolean {
  const colon = qualified.indexOf(':')
  const prefix = colon === -1 ? '' : qualified.slice(0, colon)
  return qualified.slice(colon + 1) === local && scope.get(prefix) === DAV
}

/** The sync-token of a DAV:multistatus with no response in it; null when the answer is anything else. */
export function emptyMultistatusToken(xml: string): string | null {
  const m = SHAPE.exec(xml)
  if (!m) return null
  const [, rootName, rootAttrs, tokenName, tokenAttrs, text] = m
  const rootScope = declare(new Map(), rootAttrs!)
  if (!rootScope || !isDav(rootName!, rootScope, 'multistatus')) return null
  const tokenScope = declare(rootScope, tokenAttrs!)
  if (!tokenScope || !isDav(tokenName!, tokenScope, 'sync-token')) return null
  return text!.trim()
}
