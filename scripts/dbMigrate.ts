// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR.
import { loadConfig } from '../src/config.ts'
import { openAdapter } from '../src/db/database.ts'
import { applyMigrations } from '../src/db/migrations.ts'

const config = loadConfig()
const adapter = await openAdapter({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
try {
  const applied = await applyMigrations(adapter.factory)
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date')
} finally {
  await adapter.close()
}
