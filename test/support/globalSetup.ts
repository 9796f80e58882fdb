// Once per test run: a migrated PGlite database dumped to a file, so each test file starts its own copy in about a
// second instead of running initdb and the migrations again.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import type { TestProject } from 'vitest/node'
import { applyMigrations } from '../../src/db/migrations.ts'

let directory: string | null = null

export async function setup(project: TestProject) {
  directory = await mkdtemp(path.join(tmpdir(), 'pglite-template-'))
  const pglite = await PGlite.create('memory://')
  await applyMigrations(new PrismaPGlite(pglite))
  const dump = await pglite.dumpDataDir('none')
  const file = path.join(directory, 'template.tar')
  await writeFile(file, Buffer.from(await dump.arrayBuffer()))
  await pglite.close()
  project.provide('pgliteTemplatePath', file)
}

export async function teardown() {
  if (directory) await rm(directory, { recursive: true, force: true })
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplatePath: string
  }
}
