// The webhook event catalogue (README "Connect your CRM" → "Webhooks" shows a payload of each).
export const WEBHOOK_EVENT_TYPES = [
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.cancelled',
  'appointment.updated_in_icloud',
  'appointment.removed_in_icloud',
  'integration.connected',
  'integration.needs_reauth',
  'integration.error',
  'integration.disconnected',
] as const

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'appointment.booked': 'An appointment was booked in the CRM.',
  'appointment.rescheduled': 'An appointment was moved to another time in the CRM.',
  'appointment.cancelled': 'An appointment was cancelled in the CRM.',
  'appointment.updated_in_icloud':
    'A participant edited the event in iCloud (time, title, location or notes); `before` and `after` hold the fields.',
  'appointment.removed_in_icloud':
    'A participant deleted the event in iCloud. The appointment stays booked in the CRM and is not re-created there.',
  'integration.connected': 'An iCloud integration was connected, reconnected, or recovered from an error.',
  'integration.needs_reauth': 'iCloud refused the app-specific password: the user must reconnect.',
  'integration.error': 'Syncing has failed repeatedly (still retried); `lastError` says why.',
  'integration.disconnected': 'An iCloud integration was removed.',
}
