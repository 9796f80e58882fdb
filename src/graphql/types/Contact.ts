import { builder } from '../builder.ts'

builder.prismaNode('Contact', {
  id: { field: 'id' },
  description: 'A person who booked an appointment. Contacts are made only by bookings, never by iCloud events.',
  authScopes: (contact) => ({ subaccount: contact.subaccountId }),
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.expose('email', { type: 'EmailAddress', description: 'Lower-cased; unique within the subaccount.' }),
    phone: t.exposeString('phone', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})
