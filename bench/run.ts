// `npm run bench`: runs every bench/*.bench.ts in turn (each writes bench/results/<name>.json and .md).
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const directory = path.dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const benches = readdirSync(directory)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort()

let failed = 0
for (const file of benches) {
  console.log(`\n=== ${file}`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(directory, file)], {
    stdio: 'inherit',
  })
  if (result.status !== 0) failed++
}
process.exit(failed > 0 ? 1 : 0)
