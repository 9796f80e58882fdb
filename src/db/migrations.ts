// Applies and creates standard `prisma/migrations/<stamp>_<name>/migration.sql` folders, so `prisma migrate deploy`
// agrees with us wherever Prisma's native engine is available (both record `_prisma_migrations`).
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const schemaPath = path.join(projectRoot, 'prisma/schema.prisma')
const migrationsDir = path.join(projectRoot, 'prisma/migrations')
const filters = { externalTables: [], externalEnums: [] }
/** Kept beside each migration: the datamodel it brings the database to, the base of the next diff. */
const snapshotFile = 'schema.prisma'

async function readDatamodel() {
  return { path: 'prisma/schema.prisma', content: await readFile(schemaPath, 'utf8') }
}

async function listMigrations() {
  await mkdir(migrationsDir, { recursive: true })
  const dirs = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  const lock = await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8').catch(() => null)
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lock },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: {
            tag: 'ok' as const,
            value: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8'),
          },
        },
      })),
    ),
  }
}

export async function committedMigrationNames(): Promise<string[]> {
  return (await listMigrations()).migrationDirectories.map((directory) => directory.path)
}

export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  // On PostgreSQL the engine serialises migrations with an advisory lock it waits 10 s for. Instances (or test
  // workers) starting together can exceed that under load: waiting longer is right, the migrations are idempotent.
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyMigrationsOnce(adapterFactory)
    } catch (error) {
      const lockTimeout = error instanceof Error && /advisory lock/i.test(error.message)
      if (!lockTimeout || attempt >= 6) throw error
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt))
    }
  }
}

async function applyMigrationsOnce(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await loadSchemaEngine(await readDatamodel(), adapterFactory)
  try {
    const result = await engine.applyMigrations({ migrationsList: await listMigrations(), filters })
    return result.appliedMigrationNames
  } finally {
    engine.free()
  }
}

/**
 * Writes a new migration: the diff between the datamodel as of the last migration and the current one. The wasm
 * engine cannot create a shadow database, so this is a datamodel-to-datamodel diff (the same SQL `migrate dev` writes).
 */
export async function createMigration(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  name: string,
  now = new Date(),
): Promise<string | null> {
  const datamodel = await readDatamodel()
  const engine = await loadSchemaEngine(datamodel, adapterFactory)
  try {
    const list = await listMigrations()
    const last = list.migrationDirectories.at(-1)?.path
    const before = last ? await readFile(path.join(migrationsDir, last, snapshotFile), 'utf8') : null
    const from = before
      ? { tag: 'schemaDatamodel' as const, files: [{ path: datamodel.path, content: before }] }
      : { tag: 'empty' as const }
    const output = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [datamodel] },
      script: true,
      exitCode: null,
      shadowDatabaseUrl: null,
      filters,
    } as never)
    const sql = (output as { stdout: string }).stdout.trim()
    if (!sql || sql.startsWith('-- This is an empty migration')) return null
    const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14)
    const folder = `${stamp}_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`
    await mkdir(path.join(migrationsDir, folder), { recursive: true })
    await writeFile(path.join(migrationsDir, folder, 'migration.sql'), sql + '\n')
    await writeFile(path.join(migrationsDir, folder, snapshotFile), datamodel.content)
    await writeFile(path.join(migrationsDir, 'migration_lock.toml'), 'provider = "postgresql"\n')
    return folder
  } finally {
    engine.free()
  }
}

/** The schema engine is imported on first use: a process whose migrations are all applied never loads it. */
async function loadSchemaEngine(...args: Parameters<typeof import('./schemaEngine.ts').openSchemaEngine>) {
  const { openSchemaEngine } = await import('./schemaEngine.ts')
  return openSchemaEngine(...args)
}
