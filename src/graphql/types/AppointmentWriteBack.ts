// The write-back outbox and two-way sync, as the CRM UI sees them: per participant copy, an aggregate per
// appointment, and the appointment's history (conflicting edits keep the replaced version there).
import { builder } from '../builder.ts'
import { WriteBackStateEnum } from './enums.ts'
import './Appointment.ts'

const HistorySourceEnum = builder.enumType('AppointmentHistorySource', {
  description: 'Where a change came from: the CRM (API) or iCloud (an edit made in the user’s calendar).',
  values: ['CRM', 'ICLOUD'] as const,
})

builder.prismaObject('AppointmentHistory', {
  description: 'One change to an appointment. Conflicting edits lose nothing: the version replaced is kept here.',
  fields: (t) => ({
    source: t.field({ type: HistorySourceEnum, resolve: (row) => row.source }),
    kind: t.string({
      description:
        'BOOKED, RESCHEDULED, CANCELLED (CRM); EDITED_IN_ICLOUD, or CONFLICT_ICLOUD_WINS when the CRM had an ' +
        'unwritten change that the iCloud edit replaced (see `change.replaced`).',
      resolve: (row) => {
        const change = (row.change ?? {}) as { action?: unknown; kind?: unknown }
        const kind = change.kind ?? change.action
        return typeof kind === 'string' ? kind : 'CHANGED'
      },
    }),
    change: t.string({
      description: 'The change as JSON (e.g. `{"replaced": {...CRM version}, "applied": {...iCloud version}}`).',
      resolve: (row) => JSON.stringify(row.change),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})

builder.prismaObjectFields('AppointmentParticipant', (t) => ({
  writeBackError: t.exposeString('writeBackError', {
    nullable: true,
    description: 'Why the last write to iCloud failed (kept while it is retried; cleared once written).',
  }),
  writeBackAttempts: t.exposeInt('attempts', {
    description: 'Failed writes since the last success; FAILED after 8 (retried with exponential back-off before).',
  }),
  nextWriteAttemptAt: t.expose('nextAttemptAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When a PENDING write is tried again after a failure.',
  }),
  remoteHref: t.exposeString('remoteHref', {
    nullable: true,
    description: 'Path of the event on the iCloud calendar (`<uid>.ics`), once written.',
  }),
}))

const SEVERITY = ['SYNCED', 'PENDING', 'REMOVED_IN_ICLOUD', 'FAILED'] as const

builder.prismaObjectFields('Appointment', (t) => ({
  writeBackState: t.field({
    type: WriteBackStateEnum,
    nullable: true,
    description:
      'The copies on the participants’ iCloud calendars taken together: the worst of FAILED, REMOVED_IN_ICLOUD ' +
      '(deleted in iCloud: the appointment stays in the CRM and is not re-created), PENDING, SYNCED. Null when no ' +
      'participant has a linked iCloud calendar.',
    select: { participants: { select: { writeBackState: true } } },
    resolve: (appointment) => {
      let worst: (typeof SEVERITY)[number] | null = null
      for (const { writeBackState } of appointment.participants) {
        if (writeBackState === null) continue
        if (worst === null || SEVERITY.indexOf(writeBackState) > SEVERITY.indexOf(worst)) worst = writeBackState
      }
      return worst
    },
  }),
  history: t.relation('history', {
    description: 'Every change, oldest first (bookings, reschedules, cancellations, edits made in iCloud).',
    query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  }),
}))
