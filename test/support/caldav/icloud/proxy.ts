// The request pipeline: recording → slow/dropped/throttled answers → iCloud request checks → auth → routing →
// Radicale → response rewriting.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { radicaleAuthorization, type AccountRecord, type AccountStore } from './accounts.ts'
import { clark, multistatusXml, requestedProps, responseXml } from './davXml.ts'
import { isSynthesized, parseRoute, PathMapper, principalPath, SYNTHESIZED_COLLECTIONS, type Route } from './paths.ts'
import {
  hasLeadingWhitespaceXml,
  isFreeBusyQuery,
  moveTimezonesAfterEvents,
  moveTimezonesInMultistatus,
  takeCutOff,
  takeDrop,
  takeThrottle,
} from './quirks.ts'
import { principalProps, rootProps, synthesizedProps } from './synthesized.ts'
import type { HostKind, ICloudQuirks, RecordedRequest } from './types.ts'
import { forward, type UpstreamReply } from './upstream.ts'
import {
  appendResponses,
  hrefToClient,
  rewriteRequestHrefs,
  rewriteResponseXml,
  type RewriteContext,
} from './xmlRewrite.ts'

export interface ProxyContext {
  accounts: AccountStore
  /** Read on every request so tests can replace the object or mutate it */
  quirks(): ICloudQuirks
  requests: RecordedRequest[]
  upstreamOrigin: string
  entryOrigin: string
  partitionOrigin: string
  /** The partition host accounts move to. */
  partition2Origin: string
}

interface Reply {
  status: number
  headers: Record<string, string>
  body: string | Buffer
}

const XML = { 'Content-Type': 'text/xml; charset=utf-8' }
const WRITE_METHODS = new Set(['PUT', 'DELETE', 'PROPPATCH', 'MOVE', 'COPY', 'MKCOL', 'MKCALENDAR', 'POST', 'PATCH'])
// Headers a CalDAV client may send that matter to Radicale; Authorization and Accept-Encoding are not passed on.
const FORWARDED_REQUEST_HEADERS = ['content-type', 'depth', 'if-match', 'if-none-match', 'overwrite', 'prefer', 'brief']
const DROPPED_RESPONSE_HEADERS = new Set([
  'content-length',
  'content-encoding',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'date',
  'server',
])

export function createHandler(ctx: ProxyContext, host: HostKind) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, host, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' })
      res.end(`proxy error: ${error instanceof Error ? error.message : String(error)}`)
    })
  }
}

async function handle(ctx: ProxyContext, host: HostKind, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req)
  const text = body.toString('utf8')
  const depth = typeof req.headers.depth === 'string' ? req.headers.depth : undefined
  const record: RecordedRequest = {
    method: req.method ?? 'GET',
    host,
    path: req.url ?? '/',
    status: 0,
    ...(depth !== undefined ? { depth } : {}),
    bodyStart: text.slice(0, 300),
    at: Date.now(),
  }
  ctx.requests.push(record)

  const quirks = ctx.quirks()
  if (quirks.delayMs > 0) await new Promise((r) => setTimeout(r, quirks.delayMs))
  if (takeDrop(quirks)) {
    req.socket.destroy()
    return
  }
  const reply = await route(ctx, host, req, body, text)
  record.status = reply.status
  reply.body = takeCutOff(quirks, { method: record.method, depth, body: text }, reply.status, reply.body)
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.body)) })
  res.end(req.method === 'HEAD' ? undefined : reply.body)
}

async function route(
  ctx: ProxyContext,
  host: HostKind,
  req: IncomingMessage,
  body: Buffer,
  text: string,
): Promise<Reply> {
  const method = req.method ?? 'GET'
  const quirks = ctx.quirks()
  const throttled = takeThrottle(quirks)
  if (throttled)
    return { status: throttled.status, headers: { 'Retry-After': String(throttled.retryAfterSeconds) }, body: '' }
  if (method === 'OPTIONS') {
    return {
      status: 200,
      headers: {
        DAV: '1, 2, 3, access-control, calendar-access, calendar-schedule, calendarserver-sharing, calendarserver-subscribed',
        Allow: 'OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, REPORT, MKCALENDAR',
      },
      body: '',
    }
  }
  if (hasLeadingWhitespaceXml(text)) {
    return { status: 400, headers: { 'Content-Type': 'text/plain' }, body: 'Bad Request' }
  }

  const account = ctx.accounts.authenticate(req.headers.authorization)
  if (!account) {
    return {
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="MMCalDav"', 'Content-Type': 'text/plain' },
      body: 'Unauthorized',
    }
  }

  const url = new URL(req.url ?? '/', 'http://placeholder')
  const target = parseRoute(url.pathname)
  switch (target.kind) {
    case 'wellKnown':
      return {
        status: 301,
        headers: { Location: `${originOf(ctx, host)}/` },
        body: '',
      }
    case 'unknown':
      return notFound()
    case 'root':
      return method === 'PROPFIND' ? synthesized('/', rootProps(account), text) : notFound()
    case 'principal':
      if (target.dsid !== account.dsid) return forbidden()
      return method === 'PROPFIND'
        ? synthesized(principalPath(account.dsid), principal(ctx, account, quirks), text)
        : notFound()
    case 'home':
    case 'calendar':
      if (target.dsid !== account.dsid) return forbidden()
      // The entry host only knows principals: a client that resolves calendar hrefs against it must fail.
      if (host === 'entry') return notFound()
      if (originOf(ctx, host) !== homeOrigin(ctx, account)) return movedAway(ctx, account, url)
      return calendarHome(ctx, account, target, req, body, text, url.search)
  }
}

async function calendarHome(
  ctx: ProxyContext,
  account: AccountRecord,
  target: Extract<Route, { kind: 'home' | 'calendar' }>,
  req: IncomingMessage,
  body: Buffer,
  text: string,
  search: string,
): Promise<Reply> {
  const method = req.method ?? 'GET'
  const quirks = ctx.quirks()
  if (target.kind === 'calendar' && isSynthesized(target.calendar))
    return synthesizedCollection(target, method, text, quirks)
  if (isFreeBusyQuery(method, text))
    return { status: 400, headers: { 'Content-Type': 'text/plain' }, body: 'Bad Request' }
  if (target.kind === 'calendar' && account.readOnlyShared.has(target.calendar) && WRITE_METHODS.has(method)) {
    return forbidden()
  }
  const syncToken = syncCollectionToken(method, text)
  // iCloud answers an unknown or expired token with a bare 403, without the DAV:valid-sync-token element.
  if (syncToken && quirks.invalidateSyncTokens) return { status: 403, headers: {}, body: '' }

  const mapper = new PathMapper(account, [ctx.partitionOrigin, ctx.partition2Origin, ctx.entryOrigin])
  const rewrite: RewriteContext = {
    account,
    mapper,
    upstreamOrigin: ctx.upstreamOrigin,
    partitionOrigin: homeOrigin(ctx, account),
  }
  const upstreamPath = mapper.toUpstream(new URL(req.url ?? '/', 'http://placeholder').pathname) ?? '/'
  const headers: Record<string, string> = { Authorization: radicaleAuthorization(account) }
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name]
    if (typeof value === 'string') headers[name] = value
  }
  const destination = req.headers.destination
  if (typeof destination === 'string')
    headers.destination = ctx.upstreamOrigin + (mapper.toUpstream(destination) ?? '/')
  const isXmlBody = /xml/i.test(req.headers['content-type'] ?? '') || /^\s*</.test(text)
  const upstreamBody = isXmlBody && body.length ? Buffer.from(rewriteRequestHrefs(text, mapper)) : body

  const reply = await forward(ctx.upstreamOrigin, method, upstreamPath + search, headers, upstreamBody)
  // Radicale answers 403 with DAV:valid-sync-token (and could send 400/409); a missing calendar stays 404.
  if (syncToken && [400, 403, 409].includes(reply.status)) return { status: 403, headers: {}, body: '' }
  const homeListing = method === 'PROPFIND' && target.kind === 'home' && req.headers.depth !== '0'
  return rewriteReply(reply, method, homeListing, text, rewrite, quirks)
}

function rewriteReply(
  reply: UpstreamReply,
  method: string,
  homeListing: boolean,
  requestText: string,
  rewrite: RewriteContext,
  quirks: ICloudQuirks,
): Reply {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(reply.headers)) {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) headers[name] = value
  }
  if (headers.location) headers.location = hrefToClient(headers.location, rewrite)
  if (method === 'PUT' && quirks.omitEtagOnPut) delete headers.etag

  const contentType = headers['content-type'] ?? ''
  let body: string | Buffer = reply.body
  if (/xml/i.test(contentType) && reply.body.length) {
    let xml = rewriteResponseXml(reply.body.toString('utf8'), rewrite)
    if (homeListing && reply.status === 207) {
      xml = appendResponses(xml, homeExtras(rewrite, requestText, quirks))
    }
    if (method === 'REPORT' && quirks.vtimezoneAfterVevent) xml = moveTimezonesInMultistatus(xml)
    body = xml
  } else if (/text\/calendar/i.test(contentType) && quirks.vtimezoneAfterVevent) {
    body = moveTimezonesAfterEvents(reply.body.toString('utf8'))
  }
  return { status: reply.status, headers, body }
}

function homeExtras(rewrite: RewriteContext, requestText: string, quirks: ICloudQuirks): string[] {
  const requested = requestedProps(requestText)
  return SYNTHESIZED_COLLECTIONS.map((name) =>
    responseXml(`${rewrite.mapper.clientHome}${name}/`, synthesizedProps(name, quirks), requested),
  )
}

function synthesizedCollection(
  target: Extract<Route, { kind: 'calendar' }>,
  method: string,
  text: string,
  quirks: ICloudQuirks,
): Reply {
  if (target.rest !== '') return notFound()
  const href = `/${target.dsid}/calendars/${target.calendar}/`
  const name = target.calendar
  if (!isSynthesized(name)) return notFound()
  if (method === 'PROPFIND') return synthesized(href, synthesizedProps(name, quirks), text)
  // None of these collections holds anything the product may read or write.
  if (method === 'REPORT') return { status: 207, headers: XML, body: multistatusXml([]) }
  return WRITE_METHODS.has(method) ? forbidden() : notFound()
}

function synthesized(href: string, props: Map<string, string>, requestText: string): Reply {
  return { status: 207, headers: XML, body: multistatusXml([responseXml(href, props, requestedProps(requestText))]) }
}

function syncCollectionToken(method: string, text: string): string | undefined {
  if (method !== 'REPORT' || !/<(?:[\w.-]+:)?sync-collection[\s>]/.test(text)) return undefined
  const token = /<((?:[\w.-]+:)?)sync-token(?:\s[^>]*)?>([^<]*)<\/\1sync-token>/.exec(text)?.[2]?.trim()
  return token || undefined
}

function principal(ctx: ProxyContext, account: AccountRecord, quirks: ICloudQuirks): Map<string, string> {
  const props = principalProps(account, homeOrigin(ctx, account) + '/')
  if (quirks.omitCalendarHomeSet) props.delete(clark('C', 'calendar-home-set'))
  return props
}

function originOf(ctx: ProxyContext, host: HostKind): string {
  if (host === 'entry') return ctx.entryOrigin
  return host === 'partition' ? ctx.partitionOrigin : ctx.partition2Origin
}

/** The partition host that serves the account's calendar home now. */
function homeOrigin(ctx: ProxyContext, account: AccountRecord): string {
  return account.moved ? ctx.partition2Origin : ctx.partitionOrigin
}

/** A host the account's home has left: 404, or 301 to the same path on the new host, for the home and all in it. */
function movedAway(ctx: ProxyContext, account: AccountRecord, url: URL): Reply {
  if (account.moved?.oldHostAnswers !== 301) return notFound()
  return { status: 301, headers: { Location: `${homeOrigin(ctx, account)}${url.pathname}${url.search}` }, body: '' }
}

function notFound(): Reply {
  return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not Found' }
}

function forbidden(): Reply {
  return { status: 403, headers: { 'Content-Type': 'text/plain' }, body: 'Forbidden' }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
