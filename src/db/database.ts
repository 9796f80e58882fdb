// One Prisma client for the process: PGlite embedded in DATA_DIR by default, PostgreSQL when DATABASE_URL is set.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaClient } from '../generated/prisma/client.ts'
import { applyMigrations, committedMigrationNames } from './migrations.ts'

export interface DatabaseTarget {
  /** postgres:// URL, or null for the embedded PGlite database. */
  databaseUrl: string | null
  /** PGlite's folder, or `memory://` for a throwaway database. */
  dataDir: string
  /** PostgreSQL schema (search path) to use; tests give each worker its own. */
  schema?: string
  /** A PGlite data-dir dump to start an in-memory database from (tests: skips initdb, seconds per file). */
  pgliteTemplate?: Blob
}

export interface Database {
  prisma: PrismaClient
  kind: 'pglite' | 'postgres'
  close(): Promise<void>
}

export async function openAdapter(
  target: DatabaseTarget,
): Promise<{ factory: SqlMigrationAwareDriverAdapterFactory; kind: Database['kind']; close(): Promise<void> }> {
  // Each driver is imported only when used: PGlite's WebAssembly alone adds ~50 MB to a PostgreSQL process's RSS.
  if (target.databaseUrl) {
    const { PrismaPg } = await import('@prisma/adapter-pg')
    const options = target.schema ? `-c search_path="${target.schema}"` : undefined
    const factory = new PrismaPg({ connectionString: target.databaseUrl, options }, { schema: target.schema })
    return { factory, kind: 'postgres', close: async () => {} }
  }
  const location = target.dataDir === 'memory://' ? 'memory://' : path.resolve(target.dataDir, 'pglite')
  if (location !== 'memory://') await mkdir(location, { recursive: true })
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('pglite-prisma-adapter'),
  ])
  const pglite = await PGlite.create(location, target.pgliteTemplate ? { loadDataDir: target.pgliteTemplate } : {})
  return { factory: new PrismaPGlite(pglite), kind: 'pglite', close: () => pglite.close() }
}

/** Opens the database and brings its schema up to date with the committed migrations. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const adapter = await openAdapter(target)
  const prisma = new PrismaClient({ adapter: adapter.factory })
  try {
    // Loading the schema engine costs seconds; skip it when every committed migration is already applied.
    if ((await pendingMigrationCount(prisma)) > 0) await applyMigrations(adapter.factory)
  } catch (error) {
    await prisma.$disconnect()
    await adapter.close()
    throw error
  }
  return {
    prisma,
    kind: adapter.kind,
    close: async () => {
      await prisma.$disconnect()
      await adapter.close()
    },
  }
}

async function pendingMigrationCount(prisma: PrismaClient): Promise<number> {
  const committed = await committedMigrationNames()
  try {
    const applied = await prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`
    const names = new Set(applied.map((row) => row.migration_name))
    return committed.filter((name) => !names.has(name)).length
  } catch {
    return committed.length // no migrations table yet
  }
}
