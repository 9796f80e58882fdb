import { builder } from '../builder.ts'

export const SubaccountRef = builder.prismaNode('Subaccount', {
  id: { field: 'id' },
  description: 'A CRM location: its users, calendars and integrations.',
  authScopes: (subaccount) => ({ subaccount: subaccount.id }),
  fields: (t) => ({
    crmId: t.exposeString('id', { description: 'The CRM’s own id of the subaccount (the token’s subaccount claim).' }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug', {
      description: 'Part of public booking addresses (/book/<slug>/<calendarSlug>); change with updateSubaccount.',
    }),
    timeZone: t.expose('timeZone', { type: 'TimeZone' }),
    users: t.relatedConnection('memberships', {
      description: 'Members of the subaccount, in name order.',
      cursor: 'id',
      maxSize: 200,
      query: { orderBy: { user: { name: 'asc' } } },
    }),
    crmCalendars: t.relatedConnection('crmCalendars', {
      description: 'Bookable calendars of the subaccount, in name order.',
      cursor: 'id',
      maxSize: 200,
      query: { orderBy: { name: 'asc' } },
    }),
  }),
})
