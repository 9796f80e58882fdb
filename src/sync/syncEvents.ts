// What the sync engine announces to observers in this process (metrics) without knowing them.
import { channel } from 'node:diagnostics_channel'
import type { SyncOutcome } from '../generated/prisma/enums.ts'

export interface SyncFinishedEvent {
  integrationId: string
  outcome: SyncOutcome | null
}

export const syncFinishedChannel = channel('icloud-scheduling:sync-finished')
