export { syncIntegration, startIntegrationSync } from './syncIntegration.ts'
export { syncDueIntegrations } from './syncDueIntegrations.ts'
export { createSyncScheduler } from './scheduler.ts'
