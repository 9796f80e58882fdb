// How fresh the iCloud busy time was that a booking or a reschedule was checked against (see bookingRecheck.ts).
import type { ICloudRecheck } from '../../writeBack/bookingRecheck.ts'
import { builder } from '../builder.ts'

const ICloudRecheckEnum = builder.enumType('ICloudRecheck', {
  description:
    'How fresh the iCloud busy time was that a booking was checked against. Before booking, every candidate ' +
    'member’s conflict calendars get one incremental sync (one request per unchanged calendar), bounded by ' +
    'BOOKING_RECHECK_TIMEOUT_MS; the booking never fails or waits longer because iCloud is slow or down.',
  values: {
    LIVE: { description: 'Checked against iCloud just now.' },
    NOT_NEEDED: { description: 'No candidate member has a connected iCloud integration with conflict calendars.' },
    SKIPPED: {
      description:
        'Not checked live: a sync of the member was already running elsewhere (it is refreshing the data), the ' +
        're-check is off, an earlier request with the same idempotency key made the appointment, or a reschedule to the same time.',
    },
    TIMED_OUT: { description: 'iCloud did not answer in time: booked on the last synced data.' },
    UNREACHABLE: {
      description: 'iCloud answered with an error (down, throttled, revoked): booked on the last synced data.',
    },
  } as const,
})

// The success objects' value is the appointment row; the re-check outcome travels next to it.
const recheckOf = new WeakMap<object, ICloudRecheck>()

export function rememberICloudRecheck(appointmentRow: object, outcome: ICloudRecheck): void {
  recheckOf.set(appointmentRow, outcome)
}

/** The `iCloudRecheck` field of BookAppointmentSuccess and RescheduleAppointmentSuccess. */
export function iCloudRecheckField(action: 'booking' | 'rescheduling') {
  return {
    type: ICloudRecheckEnum,
    description:
      `Whether the slot was checked against the members’ iCloud calendars right before ${action} (LIVE) or ` +
      'on the last synced data (and why). A slot taken in iCloud meanwhile gives SlotUnavailable instead.',
    resolve: (appointment: object) => recheckOf.get(appointment) ?? ('SKIPPED' as const),
  }
}
