// Envelop plugin feeding AppMetrics: latency of every executed operation by name, and open subscriptions by field.
import { getOperationAST, Kind, type DocumentNode } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { AppMetrics } from '../observability/metrics.ts'

function operationOf(document: DocumentNode, operationName: string | null | undefined) {
  const operation = getOperationAST(document, operationName)
  const field = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD)
  return {
    type: operation?.operation ?? 'unknown',
    name: operation?.name?.value ?? operationName ?? undefined,
    field: field?.kind === Kind.FIELD ? field.name.value : 'unknown',
  }
}

export function metricsPlugin(metrics: AppMetrics): Plugin {
  return {
    onExecute({ args }) {
      const started = performance.now()
      const { type, name } = operationOf(args.document, args.operationName)
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0
          metrics.observeOperation(type, name, (performance.now() - started) / 1000, failed)
        },
      }
    },
    onSubscribe({ args }) {
      const { field } = operationOf(args.document, args.operationName)
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) return // refused before it opened (an error result)
          const closed = metrics.subscriptionOpened(field)
          return { onEnd: closed }
        },
      }
    },
  }
}
