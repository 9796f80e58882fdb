// Prisma's schema engine compiled to WebAssembly: migrations without the Rust binary that the CLI would download.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg'
import { withStatementSplitting } from './statementSplitting.ts'

const require = createRequire(import.meta.url)
let loaded: Promise<void> | null = null

function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const bgModule = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')
    const wasm = await readFile(path.join(path.dirname(bgModule), 'schema_engine_bg.wasm'))
    const { instance } = await WebAssembly.instantiate(wasm, { './schema_engine_bg.js': bg })
    bg.__wbg_set_wasm(instance.exports)
    ;(instance.exports as { __wbindgen_start: () => void }).__wbindgen_start()
  })()
  return loaded
}

export type SchemaEngine = bg.SchemaEngine

export async function openSchemaEngine(
  datamodel: { path: string; content: string },
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<SchemaEngine> {
  await loadWasm()
  return bg.SchemaEngine.new(
    { datamodels: [[datamodel.path, datamodel.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(withStatementSplitting(adapterFactory)),
  )
}
