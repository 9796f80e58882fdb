// A token's `exp` ends what it opened (issue 12.6): a subscription over any transport completes with an
// UNAUTHENTICATED error, and a graphql-ws connection closes with 4403 (graphql-ws clients reconnect then, with fresh
// connectionParams). The WebSocket wiring is in websocketAuth.ts.
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga'
import type { ExecutionResult } from 'graphql'
import type { GraphQLContext } from './context.ts'

// setTimeout holds at most 2^31 - 1 ms (about 24.8 days); longer waits are chained.
const MAX_TIMEOUT_MS = 2 ** 31 - 1

/** Calls `run` at `at` (at once if past); returns a cancel function. */
export function atTime(at: Date, run: () => void): () => void {
  let timer: NodeJS.Timeout
  const schedule = () => {
    const wait = at.getTime() - Date.now()
    timer = setTimeout(wait > MAX_TIMEOUT_MS ? schedule : run, Math.max(0, Math.min(wait, MAX_TIMEOUT_MS)))
    timer.unref()
  }
  schedule()
  return () => clearTimeout(timer)
}

function tokenExpiredError() {
  return createGraphQLError('The token has expired: subscribe again with a new one.', {
    extensions: { code: 'UNAUTHENTICATED' },
  })
}

const EXPIRED = Symbol('expired')

/** `source` until `expiresAt`, then one error result and the end. Ending early returns the source at once. */
function untilExpiry<T>(source: AsyncIterable<T>, expiresAt: Date): AsyncIterableIterator<T | ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]()
  let finished = false
  let onExpiry: () => void = () => {}
  const expired = new Promise<typeof EXPIRED>((resolve) => (onExpiry = () => resolve(EXPIRED)))
  const cancel = atTime(expiresAt, () => onExpiry())
  const finish = async () => {
    if (finished) return
    finished = true
    cancel()
    await iterator.return?.()
  }
  return {
    [Symbol.asyncIterator]() {
      return this
    },
    async next() {
      if (finished) return { done: true, value: undefined }
      const result = await Promise.race([iterator.next(), expired])
      if (result === EXPIRED) {
        await finish()
        return { done: false, value: { errors: [tokenExpiredError()] } }
      }
      if (result.done) await finish()
      return result
    },
    async return() {
      await finish()
      return { done: true, value: undefined }
    },
  }
}

/** Envelop plugin: every subscription of a token-bearing viewer ends when the token does. */
export function endSubscriptionsAtTokenExpiry(): Plugin<GraphQLContext> {
  return {
    onSubscribe({ args }) {
      const expiresAt = (args.contextValue as Partial<GraphQLContext>).viewer?.expiresAt
      if (!expiresAt) return undefined
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilExpiry(result, expiresAt) as never)
        },
      }
    },
  }
}
