import { startIntegrationSync } from '../../sync/index.ts'
import { builder } from '../builder.ts'
import { DomainError } from '../../errors.ts'
import { ErrorInterface, errorType, mutationResult } from '../errors.ts'
import { findIntegrationForMutation, IntegrationRef } from '../types/Integration.ts'
import { SyncRunRef } from '../types/SyncRun.ts'

class SyncInProgressError extends DomainError {
  constructor() {
    super('SYNC_IN_PROGRESS', 'This integration is being synced right now; follow syncStatusChanged for the result.')
  }
}
errorType(
  SyncInProgressError,
  'SyncInProgressError',
  'A sync of this integration is already running (here or elsewhere).',
)

class ReconnectRequiredError extends DomainError {
  constructor() {
    super(
      'RECONNECT_REQUIRED',
      'iCloud no longer accepts the stored password: reconnect with a new app-specific password.',
    )
  }
}
errorType(
  ReconnectRequiredError,
  'ReconnectRequiredError',
  'The integration needs re-authentication (or was disconnected).',
)

class RateLimitedError extends DomainError {
  constructor(readonly retryAt: Date) {
    super(
      'RATE_LIMITED',
      `iCloud asked us to wait before syncing this account again; try again after ${retryAt.toISOString()}.`,
    )
  }
}
builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  description: "iCloud's Retry-After has not passed: nothing was sent to iCloud. The scheduled sync runs after it.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RateLimitedError,
  fields: (t) => ({
    retryAt: t.expose('retryAt', { type: 'DateTime', description: 'When iCloud accepts requests again.' }),
  }),
})

const SyncNowInput = builder.inputType('SyncNowInput', {
  fields: (t) => ({
    integrationId: t.globalID({ required: true, for: IntegrationRef }),
    waitForCompletion: t.boolean({
      required: false,
      defaultValue: false,
      description: 'Answer when the run has finished instead of when it has started (it talks to iCloud meanwhile).',
    }),
  }),
})

builder.mutationField('syncNow', (t) =>
  t.field({
    type: SyncRunRef,
    description:
      'Syncs the integration with iCloud now instead of at its next scheduled time. Returns the started run ' +
      '(outcome RUNNING) unless waitForCompletion; progress and the end arrive on syncStatusChanged.',
    errors: mutationResult('SyncNow', 'syncRun', [SyncInProgressError, ReconnectRequiredError, RateLimitedError]),
    args: { input: t.arg({ type: SyncNowInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const integration = await findIntegrationForMutation(context, input.integrationId.id)
      const start = await startIntegrationSync(context.services, integration.id, 'MANUAL')
      if (!start.started) {
        if (start.reason === 'RATE_LIMITED') throw new RateLimitedError(start.retryAt)
        throw start.reason === 'BUSY' ? new SyncInProgressError() : new ReconnectRequiredError()
      }
      if (input.waitForCompletion) await start.done
      return context.services.prisma.syncRun.findUniqueOrThrow({
        where: { id: start.syncRunId },
        include: { integration: { select: { userId: true, subaccountId: true } } },
      })
    },
  }),
)
