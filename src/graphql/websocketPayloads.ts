// graphql-ws serializes every message it sends. A result shared by many subscribers (./sharedResults.ts) is serialized
// once instead: onNext gives graphql-ws a stand-in whose JSON is a placeholder, and the socket puts the result's text in
// its place as the message goes out. graphql-ws serializes a message and hands it to the socket in one synchronous
// step, so the text of the stand-in just serialized is the one to put in.
import type { ExecutionResult } from 'graphql'
import WebSocket from 'ws'
import { isSharedResult } from './sharedResults.ts'

const PLACEHOLDER = '__serialized_once__'
const PLACEHOLDER_TAIL = `"payload":"${PLACEHOLDER}"}`
const texts = new WeakMap<object, string>()
let justSerialized: string | null = null

class SerializedResult {
  constructor(private readonly text: string) {}

  toJSON(): string {
    justSerialized = this.text
    return PLACEHOLDER
  }
}

/** For graphql-ws's onNext: a stand-in for a shared result (undefined for any other, sent as it is). */
export function serializedOnce(result: ExecutionResult): ExecutionResult | undefined {
  if (!isSharedResult(result) || result.errors) return undefined
  let text = texts.get(result)
  if (text === undefined) texts.set(result, (text = JSON.stringify(result)))
  return new SerializedResult(text) as unknown as ExecutionResult
}

function withSerializedPayload(data: unknown): unknown {
  const text = justSerialized
  justSerialized = null
  if (text === null || typeof data !== 'string' || !data.endsWith(PLACEHOLDER_TAIL)) return data
  return `${data.slice(0, data.length - PLACEHOLDER_TAIL.length)}"payload":${text}}`
}

/** The server's sockets (ws's `WebSocket` option): they put the serialized results in. */
export class GraphQLWebSocketConnection extends WebSocket {
  override send(data: unknown, ...rest: unknown[]): void {
    ;(WebSocket.prototype.send as (...args: unknown[]) => void).call(this, withSerializedPayload(data), ...rest)
  }
}
