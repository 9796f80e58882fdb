export {
  syncIntegration,
  startIntegrationSync,
  waitForInFlightSyncs,
  type SyncRunResult,
  type SyncStart,
} from './syncIntegration.ts'
export { syncDueIntegrations } from './syncDueIntegrations.ts'
export { claimDueIntegrations, claimIntegration, renewLease } from './lease.ts'
export { createSyncScheduler } from './scheduler.ts'
export { computeWindow, type SyncWindow } from './window.ts'
export { reexpandIntegration } from './windowMaintenance.ts'
