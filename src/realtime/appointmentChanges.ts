// Tells CRM screens that an appointment changed (the appointmentsChanged subscription): once on its CRM calendar's
// feed and once on each participant's. Call after the change committed; subscribers re-read the appointment.
import type { Services } from '../app/services.ts'
import type { AppointmentChangeKind } from './pubsub.ts'

export const calendarFeed = (calendarId: string) => `calendar:${calendarId}`
export const userFeed = (userId: string) => `user:${userId}`

export function publishAppointmentChanged(
  services: Pick<Services, 'pubsub'>,
  change: { appointmentId: string; calendarId: string; userIds: Iterable<string>; kind: AppointmentChangeKind },
): void {
  const event = {
    appointmentId: change.appointmentId,
    calendarId: change.calendarId,
    kind: change.kind,
    at: new Date().toISOString(),
  }
  services.pubsub.publish('appointmentsChanged', calendarFeed(change.calendarId), event)
  for (const userId of new Set(change.userIds)) services.pubsub.publish('appointmentsChanged', userFeed(userId), event)
}
