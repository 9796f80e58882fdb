// `npm run db:migration -- <name>`: writes prisma/migrations/<stamp>_<name>/ from the change to prisma/schema.prisma.
import { openAdapter } from '../src/db/database.ts'
import { createMigration } from '../src/db/migrations.ts'

const name = process.argv[2]
if (!name) {
  console.error('usage: npm run db:migration -- <name>')
  process.exit(2)
}
const adapter = await openAdapter({ databaseUrl: null, dataDir: 'memory://' })
const created = await createMigration(adapter.factory, name)
await adapter.close()
console.log(created ? `created prisma/migrations/${created}` : 'schema unchanged: nothing to migrate')
