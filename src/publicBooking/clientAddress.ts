// The address a public request comes from, for rate limits. Proxy headers are trusted only when TRUST_PROXY says how
// many proxies stand in front of the server: otherwise anyone could pick their own address with X-Forwarded-For.
export interface IncomingLike {
  headers: Record<string, string | string[] | undefined>
  socket?: { remoteAddress?: string | undefined } | null
}

/**
 * With `trustedProxies` = n, the address is the n-th entry from the right of X-Forwarded-For: the one the outermost
 * trusted proxy saw (each proxy appends the address it received the request from).
 */
export function clientAddress(request: IncomingLike, trustedProxies: number): string {
  const socketAddress = normalize(request.socket?.remoteAddress ?? 'unknown')
  if (trustedProxies <= 0) return socketAddress
  const header = request.headers['x-forwarded-for']
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  if (forwarded.length === 0) return socketAddress
  return normalize(forwarded[Math.max(0, forwarded.length - trustedProxies)]!)
}

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address
}
