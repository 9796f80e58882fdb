import { z } from 'zod'
import { createApiKey } from '../../auth/apiKeys.ts'
import type { ApiKey } from '../../generated/prisma/client.ts'
import { assertHumanAdmin } from '../authz.ts'
import { builder } from '../builder.ts'
import { mutationResult } from '../errors.ts'
import { ApiKeyRef } from '../types/ApiKey.ts'

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({
      required: true,
      description: 'What the key is for.',
      validate: z.string().trim().min(1).max(100),
    }),
  }),
})

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    description: 'Creates an API key for the current subaccount (admins only). The secret is in the answer, once.',
    errors: {
      ...mutationResult('CreateApiKey', 'apiKey'),
      result: {
        name: 'CreateApiKeySuccess',
        fields: (f) => ({
          secret: f.string({
            description: 'The key: `Authorization: Bearer <secret>`. Shown only now; store it in your CRM backend.',
            resolve: (created) => (created as ApiKey & { secret: string }).secret,
          }),
        }),
      },
    },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const userId = assertHumanAdmin(context)
      const { apiKey, secret } = await createApiKey(context.services, {
        subaccountId: context.viewer.subaccountId,
        name: input.name.trim(),
        createdByUserId: userId,
      })
      return { ...apiKey, secret }
    },
  }),
)
