// Subscribers of one shared feed (src/realtime/liveAvailability.ts) receive the same push objects; executing the
// selection set on each push once per subscriber would make a change cost linear in subscribers again. A subscription
// field whose resolvers read nothing but the push hands its stream over with `shareResults`; this plugin then executes
// each push once per (document, operation, variables) and gives every subscriber the same result object, which
// graphql-ws sends serialized once (./websocketPayloads.ts). Everything else about the subscription (the subscribe
// resolver and its auth checks, token expiry, masking, metrics) stays per subscriber.
import { execute, getOperationAST, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql'
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga'

/** Streams handed over by subscribe resolvers, by the operation's context (one context per operation). */
const handedOver = new WeakMap<object, AsyncIterator<object>>()
/** Push → (document, operation, variables) → its one execution. */
const executions = new WeakMap<object, Map<string, Promise<ExecutionResult>>>()
/** Results of those executions: the same object goes to every subscriber. */
const sharedResults = new WeakSet<object>()
const documentIds = new WeakMap<DocumentNode, number>()
let nextDocumentId = 0

/**
 * Marks a subscription's stream as one whose pushes render the same for every subscriber with the same document and
 * variables: its field's resolvers must not read the context.
 */
export function shareResults<T extends object>(context: object, stream: AsyncIterableIterator<T>) {
  handedOver.set(context, stream)
  return stream
}

export function isSharedResult(result: unknown): boolean {
  return typeof result === 'object' && result !== null && sharedResults.has(result)
}

export function sharedResultsPlugin(): Plugin {
  return {
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        // The executor's own subscribe runs the resolver (and reports its errors) as always; its mapped stream is
        // lazy, so leaving it unread costs no execution.
        const result: unknown = await subscribeFn(args)
        const source = args.contextValue ? handedOver.get(args.contextValue) : undefined
        if (source === undefined || !isAsyncIterable(result)) return result
        handedOver.delete(args.contextValue!)
        return executedOnce(source, args)
      })
    },
  }
}

/** Each push of `source` executed with `args`, once for all subscribers asking the same. */
function executedOnce(source: AsyncIterator<object>, args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> {
  const key = executionKey(args)
  const end = async () => {
    await source.return?.()
    return { done: true as const, value: undefined }
  }
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      let event: IteratorResult<object>
      try {
        event = await source.next()
      } catch (error) {
        await source.return?.()
        throw asSubscriptionError(error, args)
      }
      if (event.done) return { done: true, value: undefined }
      return { done: false, value: await executeOnce(event.value, key, args) }
    },
    return: end,
    throw: async (error: unknown) => {
      await end()
      throw error
    },
    [Symbol.asyncIterator]: () => iterator,
  }
  return iterator
}

/** The document by its text (Yoga's parser cache hands out one object per text, but need not), then the rest. */
function executionKey(args: ExecutionArgs): string {
  let document = args.document.loc?.source.body
  if (document === undefined) {
    let id = documentIds.get(args.document)
    if (id === undefined) documentIds.set(args.document, (id = nextDocumentId++))
    document = `#${id}`
  }
  return JSON.stringify([document, args.operationName ?? null, args.variableValues ?? {}])
}

function executeOnce(push: object, key: string, args: ExecutionArgs): Promise<ExecutionResult> {
  let byKey = executions.get(push)
  if (byKey === undefined) executions.set(push, (byKey = new Map()))
  let result = byKey.get(key)
  if (result === undefined) {
    result = Promise.resolve(execute({ ...args, rootValue: push })).then((executed) => {
      sharedResults.add(executed)
      return executed
    })
    byKey.set(key, result)
  }
  return result
}

/** A failure of the stream itself, as the executor reports it (located at the operation). */
function asSubscriptionError(error: unknown, args: ExecutionArgs): Error {
  const operation = getOperationAST(args.document, args.operationName)
  const wrap = (e: Error) => createGraphQLError(e.message, { originalError: e, nodes: operation ? [operation] : [] })
  if (error instanceof AggregateError) return new AggregateError(error.errors.map(wrap), error.message)
  return wrap(error instanceof Error ? error : new Error(String(error)))
}
