import { builder } from '../builder.ts'

builder.prismaObject('LinkedCalendar', {
  description: 'The calendar new CRM appointments are written to (exactly one per integration).',
  fields: (t) => ({
    calendar: t.relation('calendar'),
    alsoConflict: t.exposeBoolean('alsoConflict', {
      description: 'Its events block time too (default true; the user may opt out).',
    }),
  }),
})
