// `npm run apikey:create -- --subaccount <crm id> [--name "CRM backend"] [--subaccount-name "Clinic"]`: prints a new
// API key of the subaccount, once. A subaccount that does not exist yet is created (bootstrapping a deployment whose
// users arrive through upsertUser rather than just-in-time provisioning).
import { parseArgs } from 'node:util'
import { createServices } from '../src/app/app.ts'
import { createApiKey } from '../src/auth/apiKeys.ts'
import { loadConfig } from '../src/config.ts'

const { values } = parseArgs({
  options: {
    subaccount: { type: 'string' },
    name: { type: 'string', default: 'CRM backend' },
    'subaccount-name': { type: 'string' },
  },
})
if (!values.subaccount) {
  console.error('usage: npm run apikey:create -- --subaccount <crm id> [--name <label>] [--subaccount-name <name>]')
  process.exit(2)
}

const { services, database, closePubSub } = await createServices(loadConfig(), { logDestination: undefined })
try {
  const subaccountId = values.subaccount
  const existing = await services.prisma.subaccount.findUnique({ where: { id: subaccountId } })
  if (!existing) {
    await services.prisma.subaccount.create({
      data: { id: subaccountId, name: values['subaccount-name'] ?? subaccountId },
    })
    console.log(`Created subaccount ${subaccountId}.`)
  }
  const { apiKey, secret } = await createApiKey(services, { subaccountId, name: values.name, createdByUserId: null })
  console.log(`API key "${apiKey.name}" (${apiKey.prefix}…) of subaccount ${subaccountId}. Shown once:\n\n${secret}\n`)
  console.log(`Use it as: Authorization: Bearer ${apiKey.prefix}…`)
} finally {
  await closePubSub()
  await database.close()
}
