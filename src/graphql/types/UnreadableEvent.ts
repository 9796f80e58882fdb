import { UNREADABLE } from '../../sync/unreadableEvents.ts'
import { builder } from '../builder.ts'

builder.prismaObject('CalendarObject', {
  name: 'UnreadableEvent',
  description:
    'An iCloud event the sync cannot read: it is ignored (blocks no time) until it changes or is deleted in iCloud.',
  fields: (t) => ({
    href: t.exposeString('href', { description: 'URL path of the resource in the calendar.' }),
    message: t.string({
      description: 'Why it cannot be read.',
      select: { parseError: true },
      resolve: (object) => object.parseError ?? '',
    }),
    since: t.expose('updatedAt', { type: 'DateTime', description: 'When this version was stored.' }),
  }),
})

builder.prismaObjectField('Calendar', 'unreadableEvents', (t) =>
  t.relation('objects', {
    description: 'Events of this calendar that cannot be read and are being ignored; empty when all are read.',
    query: { where: UNREADABLE, orderBy: { href: 'asc' } },
  }),
)
