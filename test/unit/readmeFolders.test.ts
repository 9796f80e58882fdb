// The README's folder table is the map of the architecture: every folder of src/ and every top-level folder must be
// in it, and the folders it names must exist.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
const table = readme.slice(readme.indexOf('| Folder | Job |'), readme.indexOf('| `bench/` |') + 200)
/** The first cell of each row: the folders (and files) the row is about. */
const named = new Set(
  table
    .split('\n')
    .map((row) => row.split('|')[1] ?? '')
    .flatMap((cell) => [...cell.matchAll(/`([\w./-]+)`/g)].map((m) => m[1]!.replace(/\/$/, ''))),
)

const foldersOf = (dir: string) =>
  readdirSync(path.join(root, dir)).filter((name) => statSync(path.join(root, dir, name)).isDirectory())
const topLevel = ['web', 'prisma', 'schema', 'scripts', 'docs', 'test', 'bench']
const generated = new Set(['src/generated']) // made by npm run generate, absent from a bare checkout

describe('README folder table', () => {
  it('names every folder of src/ (src/integrations by its one integration)', () => {
    const rows = foldersOf('src').map((f) => (f === 'integrations' ? 'src/integrations/icloud' : `src/${f}`))
    expect(rows.filter((row) => !named.has(row))).toEqual([])
  })

  it('names every top-level folder of the project', () => {
    expect(topLevel.filter((folder) => !named.has(folder))).toEqual([])
  })

  it('names only folders and files that exist', () => {
    const missing = [...named].filter((p) => !generated.has(p) && !existsSync(path.join(root, p)))
    expect(missing).toEqual([])
  })
})
