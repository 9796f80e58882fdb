// Migration scripts run one statement at a time, split by a SQL-aware splitter.
//
// Why: @prisma/adapter-pg's executeScript splits a script on every ';', so a migration with a PL/pgSQL function
// (semicolons inside $$ … $$) reaches PostgreSQL in broken pieces. PGlite and Prisma's own CLI send scripts whole;
// this makes the WebAssembly schema engine behave the same on both drivers.
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils'
import { postgreSplitterOptions, splitQuery } from 'dbgate-query-splitter'

/** The statements of a PostgreSQL script: strings, quoted names, comments and dollar quotes respected. */
export function splitStatements(script: string): string[] {
  return splitQuery(script, postgreSplitterOptions)
    .map((item) => (typeof item === 'string' ? item : item.text).trim())
    .filter((statement) => statement.length > 0)
}

function splittingScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, key, receiver) {
      if (key === 'executeScript') {
        return async (script: string) => {
          for (const sql of splitStatements(script)) await target.executeRaw({ sql, args: [], argTypes: [] })
        }
      }
      const value = Reflect.get(target, key, receiver) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

export function withStatementSplitting(
  factory: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, key, receiver) {
      if (key === 'connect') return async () => splittingScripts(await target.connect())
      if (key === 'connectToShadowDb') return async () => splittingScripts(await target.connectToShadowDb())
      const value = Reflect.get(target, key, receiver) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}
