// One Prisma client for the process: PGlite embedded in DATA_DIR by default, PostgreSQL when DATABASE_URL is set.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { PrismaClient } from '../generated/prisma/client.ts'
import { applyMigrations } from './migrations.ts'

export interface DatabaseTarget {
  /** postgres:// URL, or null for the embedded PGlite database. */
  databaseUrl: string | null
  /** PGlite's folder, or `memory://` for a throwaway database. */
  dataDir: string
  /** PostgreSQL schema (search path) to use; tests give each worker its own. */
  schema?: string
}

export interface Database {
  prisma: PrismaClient
  kind: 'pglite' | 'postgres'
  close(): Promise<void>
}

export async function openAdapter(
  target: DatabaseTarget,
): Promise<{ factory: SqlMigrationAwareDriverAdapterFactory; kind: Database['kind']; close(): Promise<void> }> {
  if (target.databaseUrl) {
    const options = target.schema ? `-c search_path="${target.schema}"` : undefined
    const factory = new PrismaPg({ connectionString: target.databaseUrl, options }, { schema: target.schema })
    return { factory, kind: 'postgres', close: async () => {} }
  }
  const location = target.dataDir === 'memory://' ? 'memory://' : path.resolve(target.dataDir, 'pglite')
  if (location !== 'memory://') await mkdir(location, { recursive: true })
  const pglite = await PGlite.create(location)
  return { factory: new PrismaPGlite(pglite), kind: 'pglite', close: () => pglite.close() }
}

/** Opens the database and brings its schema up to date with the committed migrations. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const adapter = await openAdapter(target)
  try {
    await applyMigrations(adapter.factory)
  } catch (error) {
    await adapter.close()
    throw error
  }
  const prisma = new PrismaClient({ adapter: adapter.factory })
  return {
    prisma,
    kind: adapter.kind,
    close: async () => {
      await prisma.$disconnect()
      await adapter.close()
    },
  }
}
