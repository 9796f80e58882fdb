// disconnectICloud: forget the credentials and everything read from iCloud. CRM appointments stay (their participant
// rows lose the remote calendar: AppointmentParticipant.remoteCalendarId is SET NULL); the Apple ID becomes free.
import type { Services } from '../../app/services.ts'
import type { Integration } from '../../generated/prisma/client.ts'
import { notifyBusyTimeChanged } from '../../realtime/notify.ts'

export async function disconnectICloud(
  services: Services,
  integration: Pick<Integration, 'id' | 'userId'>,
): Promise<void> {
  // Cascades: calendars, linked/conflict choices, calendar objects, iCloud blocked slots, sync runs.
  await services.prisma.integration.deleteMany({ where: { id: integration.id } })
  services.logger.info({ integrationId: integration.id, userId: integration.userId }, 'iCloud disconnected')
  await notifyBusyTimeChanged(services, [integration.userId], { from: null, to: null }, 'iCloud disconnected')
}
