// What subscribers hear of an unchanged check: only FINISHED (its SyncRun row exists only once recorded, so a
// STARTED naming it could not be looked up). Slots did not change, so no busy-time notice.
import type { SyncServices as Services } from './ports.ts'
import { publishStatus } from './syncIntegration.ts'

export function notifyUnchanged(services: Services, integration: { id: string }, syncRunId: string): void {
  services.logger.debug({ integrationId: integration.id, syncRunId }, 'sync check: unchanged')
  publishStatus(services, { integrationId: integration.id, syncRunId, status: 'CONNECTED' }, 'FINISHED', 'SUCCESS')
}
