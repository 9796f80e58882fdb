import { assertHumanAdmin } from '../authz.ts'
import { builder } from '../builder.ts'
import { nullableDateTime } from '../fieldOptions.ts'

export const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  description:
    'A server-to-server credential of one subaccount: `Authorization: Bearer sk_…` acts as the subaccount service ' +
    'principal (admin rights over its data, no user of its own). The key is shown once, at creation; only its ' +
    'SHA-256 is stored.',
  // As the apiKeys field: admin users of the subaccount only (a leaked key cannot list the others).
  authScopes: (key) => ({ $all: { subaccount: key.subaccountId, humanAdmin: true } }),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What the key is for, e.g. "CRM backend (production)".' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, to tell keys apart.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', nullableDateTime('Last request made with the key (to the minute).')),
    revokedAt: t.expose('revokedAt', nullableDateTime('When the key was revoked; it is refused from then on.')),
  }),
})

builder.queryField('apiKeys', (t) =>
  t.prismaField({
    type: ['ApiKey'],
    description: 'API keys of the current subaccount, newest first (admins only; not through an API key).',
    args: { includeRevoked: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (query, _root, args, context) => {
      assertHumanAdmin(context)
      return context.services.prisma.apiKey.findMany({
        ...query,
        where: { subaccountId: context.viewer.subaccountId, ...(args.includeRevoked ? {} : { revokedAt: null }) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: 100,
      })
    },
  }),
)
