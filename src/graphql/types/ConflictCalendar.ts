import { builder } from '../builder.ts'

builder.prismaObject('ConflictCalendar', {
  description: 'A calendar whose events make the user busy (become blocked slots).',
  fields: (t) => ({
    calendar: t.relation('calendar'),
    since: t.expose('createdAt', { type: 'DateTime', description: 'When it was chosen.' }),
  }),
})
