// reconnectICloud: a new app-specific password for the same Apple ID (after a revocation, or to rotate it). It is
// verified against iCloud before anything is stored; configuration and history stay, and the write-back copies that
// were waiting for it (or had failed) are queued again.
import type { Services } from '../../app/services.ts'
import type { Integration } from '../../generated/prisma/client.ts'
import { notifyBusyTimeChanged } from '../../realtime/notify.ts'
import { recordIntegrationStatus } from '../../webhooks/hooks.ts'
import { kickWebhooks } from '../../webhooks/worker.ts'
import { kickWriteBack } from '../../writeBack/scheduler.ts'
import { createICloudClient } from './caldavSession.ts'
import { encryptCredential, normalizeAppSpecificPassword } from './credentials.ts'
import { discoverAccount } from './discovery.ts'
import { InvalidCredentialsError } from './errors.ts'
import { applyDiscoveredCalendars, type RefreshResult } from './refreshCalendars.ts'

export async function reconnectICloud(
  services: Services,
  integration: Integration,
  appSpecificPassword: string,
): Promise<RefreshResult> {
  const password = normalizeAppSpecificPassword(appSpecificPassword)
  if (!password) throw new InvalidCredentialsError()
  // Same Apple ID by construction: we log in with the stored one, so only its own password can succeed.
  const account = await discoverAccount(
    createICloudClient(services, { appleId: integration.appleId, appSpecificPassword: password }, 'interactive'),
  )
  const now = new Date()
  const { changes, updated, requeued } = await services.prisma.$transaction(async (tx) => {
    const changes = await applyDiscoveredCalendars(tx, integration.id, account.calendars, now)
    const updated = await tx.integration.update({
      where: { id: integration.id },
      data: {
        ...encryptCredential(services, integration.appleId, password),
        principalUrl: account.principalUrl,
        homeUrl: account.homeUrl,
        status: 'CONNECTED',
        lastError: null,
        consecutiveFailures: 0,
        nextSyncAt: now,
      },
    })
    await recordIntegrationStatus(tx, updated, integration.status, 'CONNECTED')
    // Writes that waited for this password (postponed after a 401) or gave up (FAILED) go again, now.
    const requeued = await tx.appointmentParticipant.updateMany({
      where: {
        userId: integration.userId,
        appointment: { subaccountId: integration.subaccountId },
        writeBackState: { in: ['PENDING', 'FAILED'] },
      },
      data: { writeBackState: 'PENDING', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null },
    })
    return { changes, updated, requeued: requeued.count }
  })
  if (changes.conflictCalendarRemoved) {
    await notifyBusyTimeChanged(services, [integration.userId], { from: null, to: null }, 'iCloud calendar removed')
  }
  if (requeued > 0) kickWriteBack(services)
  kickWebhooks(services)
  services.logger.info(
    { integrationId: integration.id, previousStatus: integration.status, writesRequeued: requeued },
    'iCloud reconnected',
  )
  return { integration: updated, ...changes }
}
