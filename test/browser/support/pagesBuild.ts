// The browser tests run against web/dist (built at install time). When a page source is newer than the build
// (someone edited web/ and did not run `npm run web:build`), build once first so a test never checks stale pages.
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'

const webDir = path.resolve('web')
const distDir = path.join(webDir, 'dist')

async function newestSource(dir: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist') continue
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(full) : (await stat(full)).mtimeMs)
  }
  return newest
}

let built: Promise<void> | null = null
export function ensurePagesBuilt(): Promise<void> {
  built ??= (async () => {
    const builtAt = await stat(path.join(distDir, 'embed.js')).then(
      (s) => s.mtimeMs,
      () => 0,
    )
    if (builtAt >= (await newestSource(webDir))) return
    const { build } = await import('vite')
    // Vite sets NODE_ENV=production for the build; the process it runs in keeps its own.
    const nodeEnv = process.env.NODE_ENV
    try {
      await build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn' })
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV
      else process.env.NODE_ENV = nodeEnv
    }
  })()
  return built
}
