import { revokeApiKey } from '../../auth/apiKeys.ts'
import { assertHumanAdmin } from '../authz.ts'
import { builder } from '../builder.ts'
import { NotFoundError } from '../../errors.ts'
import { mutationResult } from '../errors.ts'
import { ApiKeyRef } from '../types/ApiKey.ts'

const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', {
  fields: (t) => ({ apiKeyId: t.globalID({ required: true, for: ApiKeyRef }) }),
})

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    description: 'Revokes an API key of the current subaccount (admins only): its next request is refused.',
    errors: mutationResult('RevokeApiKey', 'apiKey'),
    args: { input: t.arg({ type: RevokeApiKeyInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      assertHumanAdmin(context)
      const key = await revokeApiKey(context.services, context.viewer.subaccountId, input.apiKeyId.id)
      if (!key) throw new NotFoundError('The API key')
      return key
    },
  }),
)
