import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { splitStatements } from '../../../src/db/statementSplitting.ts'

describe('splitStatements', () => {
  it('keeps semicolons inside dollar quotes, strings, quoted names and comments', () => {
    const script = [
      '-- a comment; with a semicolon',
      'CREATE TABLE "a;b" ("x" TEXT DEFAULT \'1;2\');',
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$',
      'BEGIN',
      '  INSERT INTO t VALUES (1);',
      '  RETURN NULL;',
      'END',
      '$$;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;',
      '/* block; comment */ SELECT 1',
    ].join('\n')
    const statements = splitStatements(script)
    expect(statements).toHaveLength(4)
    expect(statements[0]).toContain('CREATE TABLE "a;b" ("x" TEXT DEFAULT \'1;2\')')
    expect(statements[1]).toMatch(/^CREATE FUNCTION f\(\)[\s\S]*RETURN NULL;\nEND\n\$\$$/)
    expect(statements[2]).toBe('CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$')
    expect(statements[3]).toContain('SELECT 1')
  })

  it('splits the busy-time trigger migration into its function and four triggers', async () => {
    const sql = await readFile(
      new URL('../../../prisma/migrations/20261125212616_busy_time_version/migration.sql', import.meta.url),
      'utf8',
    )
    const statements = splitStatements(sql)
    expect(statements.filter((s) => s.includes('CREATE TRIGGER'))).toHaveLength(4)
    expect(statements.find((s) => s.includes('CREATE FUNCTION'))).toMatch(/END\s*\$\$$/)
  })
})
