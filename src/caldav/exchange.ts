// One HTTP request on the process-wide pool (hostAgent.ts), its answer read whole. A worker sends thousands of small
// sync-collection REPORTs a second: this hands undici a handler that collects the body, without undici.request's
// body stream, abort-signal listeners and promise chain per request, and bounds the whole exchange (the wait for a
// pooled socket included) with one timer.
import type { IncomingHttpHeaders } from 'node:http'
import type { Dispatcher } from 'undici'
import { decodeBody } from './responseBody.ts'

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

export interface ExchangeRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
}

/** The exchange took longer than its timeoutMs. */
export class ExchangeTimeout extends Error {}

export function exchange(dispatcher: Dispatcher, request: ExchangeRequest): Promise<Answer> {
  const { origin, pathname, search } = new URL(request.url)
  return new Promise<Answer>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | null = null
    let settled = false
    const settle = (error: Error | null, answer?: Answer) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (error) reject(error)
      else resolve(answer!)
    }
    // Fired while the request waits for a socket, it is aborted as soon as one takes it (onRequestStart).
    const timer = setTimeout(() => {
      settle(new ExchangeTimeout())
      controller?.abort(new ExchangeTimeout())
    }, request.timeoutMs)
    const handler = new CollectingHandler((c) => {
      controller = c
      if (settled) c.abort(new ExchangeTimeout())
    }, settle)
    const options: Dispatcher.DispatchOptions = {
      origin,
      path: pathname + search,
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      // undici closes the connection after a body sent with a method it does not expect one for (REPORT,
      // PROPFIND): every sync-collection would pay a new handshake. CalDAV servers read those bodies.
      reset: false,
    }
    try {
      dispatcher.dispatch(options, handler)
    } catch (error) {
      settle(error as Error)
    }
  })
}

class CollectingHandler implements Dispatcher.DispatchHandler {
  private status = 0
  private headers: IncomingHttpHeaders = {}
  private chunks: Buffer[] = []

  constructor(
    private readonly started: (controller: Dispatcher.DispatchController) => void,
    private readonly settle: (error: Error | null, answer?: Answer) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.started(controller)
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    if (status < 200) return // informational (102, 103): the final answer follows
    this.status = status
    this.headers = headers
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk)
  }

  onResponseEnd(): void {
    try {
      const body = decodeBody(Buffer.concat(this.chunks), this.headers['content-encoding'])
      this.settle(null, { status: this.status, headers: this.headers, body })
    } catch (error) {
      this.settle(error as Error)
    }
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    this.settle(error)
  }
}
