import type { AccountRecord } from './accounts.ts'

/** Collections the proxy invents in every calendar home; none exists in Radicale. */
export const SYNTHESIZED_COLLECTIONS = ['inbox', 'outbox', 'notification', 'holidays-sub'] as const
export type SynthesizedName = (typeof SYNTHESIZED_COLLECTIONS)[number]

export type Route =
  | { kind: 'root' }
  | { kind: 'wellKnown' }
  | { kind: 'principal'; dsid: string }
  | { kind: 'home'; dsid: string }
  /** /<dsid>/calendars/<calendar>/<rest> — rest is '' for the collection itself */
  | { kind: 'calendar'; dsid: string; calendar: string; rest: string }
  | { kind: 'unknown'; dsid?: string }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { kind: 'root' }
  if (/^\/\.well-known\/caldav\/?$/.test(pathname)) return { kind: 'wellKnown' }
  const match = /^\/(\d+)(\/.*)?$/.exec(pathname)
  if (!match?.[1]) return { kind: 'unknown' }
  const dsid = match[1]
  const rest = match[2] ?? '/'
  if (rest === '/principal/' || rest === '/principal') return { kind: 'principal', dsid }
  if (rest === '/calendars/' || rest === '/calendars') return { kind: 'home', dsid }
  const inHome = /^\/calendars\/([^/]+)(?:\/(.*))?$/.exec(rest)
  if (inHome?.[1]) return { kind: 'calendar', dsid, calendar: decodeURIComponent(inHome[1]), rest: inHome[2] ?? '' }
  return { kind: 'unknown', dsid }
}

export function isSynthesized(calendar: string): calendar is SynthesizedName {
  return (SYNTHESIZED_COLLECTIONS as readonly string[]).includes(calendar)
}

export function principalPath(dsid: string): string {
  return `/${dsid}/principal/`
}

export function homePath(dsid: string): string {
  return `/${dsid}/calendars/`
}

/** Maps paths between the iCloud layout (/<dsid>/calendars/…) and Radicale's (/<radicaleUser>/…). */
export class PathMapper {
  constructor(
    private readonly account: AccountRecord,
    /** Origins of the proxy's own hosts: full URLs on them are accepted in request bodies */
    private readonly ownOrigins: string[],
  ) {}

  get clientHome(): string {
    return homePath(this.account.dsid)
  }

  get upstreamHome(): string {
    return `/${this.account.radicaleUser}/`
  }

  /** Client path or absolute URL → Radicale path; undefined when it is not inside this account's home. */
  toUpstream(pathOrUrl: string): string | undefined {
    let path = pathOrUrl.trim()
    for (const origin of this.ownOrigins) {
      if (path.startsWith(origin)) path = path.slice(origin.length)
    }
    if (path === this.clientHome.slice(0, -1)) return this.upstreamHome
    if (!path.startsWith(this.clientHome)) return undefined
    return this.upstreamHome + path.slice(this.clientHome.length)
  }

  /** Radicale path → client path. */
  toClient(upstreamPath: string): string {
    if (upstreamPath === this.upstreamHome.slice(0, -1)) return this.clientHome
    return upstreamPath.startsWith(this.upstreamHome)
      ? this.clientHome + upstreamPath.slice(this.upstreamHome.length)
      : upstreamPath
  }
}
