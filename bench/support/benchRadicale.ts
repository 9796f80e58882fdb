// Radicale for the availability bench's peer measurement. Same setup as test/support/caldav/startRadicale, plus
// `_filesystem_fsync = False`: the first read of items written straight into the storage folder builds Radicale's
// item cache file by file, and with an fsync per cache file that took ~200 ms per item on this machine (minutes per
// 2,000-event calendar). The peer figure is taken on a warm cache, where no cache file is written, so this only
// shortens the warm-up; it does not change what is timed.
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { removeDir, startOnFreePort } from '../../test/support/caldav/process.ts'

export interface BenchRadicale {
  url: string
  storageDir: string
  stop(): Promise<void>
}

export async function startBenchRadicale(users: Record<string, string>): Promise<BenchRadicale> {
  const storageDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'radicale-bench-'))
  const htpasswd = join(storageDir, 'users')
  const configFile = join(storageDir, 'config')
  await writeFile(
    htpasswd,
    Object.entries(users)
      .map(([user, password]) => `${user}:${password}\n`)
      .join(''),
  )
  try {
    const { proc, port } = await startOnFreePort(async (port) => {
      const config = [
        '[server]',
        `hosts = 127.0.0.1:${port}`,
        'max_connections = 20',
        '[auth]',
        'type = htpasswd',
        `htpasswd_filename = ${htpasswd}`,
        'htpasswd_encryption = plain',
        'delay = 0',
        '[rights]',
        'type = owner_only',
        '[storage]',
        `filesystem_folder = ${join(storageDir, 'collections')}`,
        '[web]',
        'type = none',
        '[logging]',
        'level = warning',
        '',
      ].join('\n')
      await writeFile(configFile, config)
      return { command: '/usr/bin/radicale', args: ['--config', configFile] }
    })
    return {
      url: `http://127.0.0.1:${port}/`,
      storageDir,
      async stop() {
        await proc.stop()
        await removeDir(storageDir)
      },
    }
  } catch (error) {
    await removeDir(storageDir)
    throw error
  }
}
