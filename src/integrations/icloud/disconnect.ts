// disconnectICloud: forget the credentials and everything read from iCloud. CRM appointments stay (their participant
// rows lose the remote calendar: AppointmentParticipant.remoteCalendarId is SET NULL); the Apple ID becomes free.
import type { Services } from '../../app/services.ts'
import type { Integration } from '../../generated/prisma/client.ts'
import { notifyBusyTimeChanged } from '../../realtime/notify.ts'
import { recordIntegrationDisconnected } from '../../webhooks/hooks.ts'
import { kickWebhooks } from '../../webhooks/worker.ts'

export async function disconnectICloud(
  services: Services,
  integration: Pick<Integration, 'id' | 'userId' | 'subaccountId'>,
): Promise<void> {
  // Cascades: calendars, linked/conflict choices, calendar objects, iCloud blocked slots, sync runs.
  await services.prisma.$transaction(async (tx) => {
    if (!(await tx.integration.findUnique({ where: { id: integration.id }, select: { id: true } }))) return
    await recordIntegrationDisconnected(tx, { id: integration.id, subaccountId: integration.subaccountId })
    await tx.integration.delete({ where: { id: integration.id } })
  })
  kickWebhooks(services)
  services.logger.info({ integrationId: integration.id, userId: integration.userId }, 'iCloud disconnected')
  await notifyBusyTimeChanged(services, [integration.userId], { from: null, to: null }, 'iCloud disconnected')
}
