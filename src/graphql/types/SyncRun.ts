import { builder } from '../builder.ts'
import { SyncOutcomeEnum, SyncTriggerEnum } from './enums.ts'
import { IntegrationRef } from './Integration.ts'

interface SyncRunErrorShape {
  calendarId?: string
  href?: string
  message: string
}

const SyncRunErrorRef = builder.objectRef<SyncRunErrorShape>('SyncRunError').implement({
  description:
    'Something that went wrong in a sync run: a calendar that could not be synced, a resource that could not be read.',
  fields: (t) => ({
    message: t.exposeString('message'),
    href: t.string({
      nullable: true,
      description: 'The remote resource (URL path) that could not be read; null for a calendar-level error.',
      resolve: (error) => error.href ?? null,
    }),
  }),
})

export const SyncRunRef = builder.prismaNode('SyncRun', {
  id: { field: 'id' },
  description: 'One sync of an integration with iCloud: what started it, how it ended, what it did.',
  select: { integration: { select: { userId: true, subaccountId: true } } },
  authScopes: (run) => ({
    $all: { subaccount: run.integration.subaccountId, $any: { admin: true, user: run.integration.userId } },
  }),
  fields: (t) => ({
    trigger: t.expose('trigger', { type: SyncTriggerEnum }),
    outcome: t.expose('outcome', {
      type: SyncOutcomeEnum,
      description: 'RUNNING until it ends. PARTIAL: some calendars or resources failed, the rest synced.',
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    calendarsChecked: t.exposeInt('calendarsChecked'),
    calendarsChanged: t.exposeInt('calendarsChanged'),
    objectsFetched: t.exposeInt('objectsFetched', {
      description: 'iCalendar resources downloaded (changed ones only).',
    }),
    objectsDeleted: t.exposeInt('objectsDeleted'),
    slotsWritten: t.exposeInt('slotsWritten'),
    parseErrors: t.exposeInt('parseErrors', { description: 'Resources that could not be read; they block nothing.' }),
    requestCount: t.exposeInt('requestCount', { description: 'CalDAV requests sent.' }),
    errors: t.field({
      type: [SyncRunErrorRef],
      select: { errors: true },
      resolve: (run) => (Array.isArray(run.errors) ? (run.errors as unknown as SyncRunErrorShape[]) : []),
    }),
  }),
})

builder.prismaObjectField(IntegrationRef, 'syncRuns', (t) =>
  t.relatedConnection('syncRuns', {
    description: 'Sync history, newest first.',
    cursor: 'id',
    maxSize: 100,
    defaultSize: 20,
    query: { orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] },
  }),
)
