import { builder } from '../builder.ts'
import { AppointmentStatusEnum, WriteBackStateEnum } from './enums.ts'
import './Contact.ts'

export const AppointmentRef = builder.prismaNode('Appointment', {
  id: { field: 'id' },
  description: 'A booking on a CRM calendar, written to the linked iCloud calendar of each participant.',
  authScopes: (appointment) => ({ subaccount: appointment.subaccountId }),
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    end: t.expose('end', { type: 'DateTime' }),
    status: t.expose('status', { type: AppointmentStatusEnum }),
    title: t.exposeString('title'),
    notes: t.exposeString('notes', { nullable: true }),
    icalUid: t.exposeString('icalUid', { description: 'The iCalendar UID of the event in iCloud; never changes.' }),
    sequence: t.exposeInt('sequence', { description: 'Bumped on every CRM change (RFC 5545 SEQUENCE).' }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    calendar: t.relation('calendar'),
    assignedUser: t.relation('assignedUser', { description: 'The member who takes it (round robin: the one picked).' }),
    contact: t.relation('contact'),
    participants: t.relation('participants', {
      description: 'Users taking part: the assigned member, or every member of a collective calendar.',
      query: { orderBy: { userId: 'asc' } },
    }),
  }),
})

builder.prismaObject('AppointmentParticipant', {
  description: 'One user in an appointment, and where it stands on their linked iCloud calendar.',
  fields: (t) => ({
    user: t.relation('user'),
    start: t.expose('start', { type: 'DateTime' }),
    end: t.expose('end', { type: 'DateTime' }),
    active: t.exposeBoolean('active', { description: 'False once cancelled or reassigned.' }),
    writeBackState: t.expose('writeBackState', {
      type: WriteBackStateEnum,
      nullable: true,
      description: 'Null when the user has no linked iCloud calendar.',
    }),
  }),
})
