// Child process of the kill -9 test: runs one sync of an integration in a PostgreSQL schema, to be killed midway.
import { createServices } from '../../../../src/app/app.ts'
import { loadConfig } from '../../../../src/config.ts'
import { syncIntegration } from '../../../../src/sync/index.ts'

const env = process.env
const config = loadConfig({
  NODE_ENV: 'test',
  DATA_DIR: env.CRASH_DATA_DIR,
  DATABASE_URL: env.CRASH_DATABASE_URL,
  AUTH_SECRET: env.CRASH_AUTH_SECRET,
  ENCRYPTION_KEYS: env.CRASH_ENCRYPTION_KEYS,
  ICLOUD_CALDAV_URL: env.CRASH_CALDAV_URL,
  LOG_LEVEL: 'silent',
})
const { services } = await createServices(config, { databaseSchema: env.CRASH_SCHEMA })
process.stdout.write('ready\n')
await syncIntegration(services, env.CRASH_INTEGRATION_ID!, 'CRON')
process.stdout.write('finished\n')
process.exit(0)
