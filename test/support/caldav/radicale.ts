import { appendFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTempDir, startInDir, type ServerInDir } from './process.ts'

export type RunningCalDavServer = ServerInDir

export interface RunningRadicale extends RunningCalDavServer {
  /** Adds a login; Radicale re-reads its htpasswd file on every login, so no restart is needed. */
  addUser(username: string, password: string): Promise<void>
}

export interface RadicaleOptions {
  /** username → password (stored in plain text in a throwaway htpasswd file) */
  users: Record<string, string>
}

/** Radicale 3.1.8 (Debian), htpasswd plain auth, owner_only rights: each user only sees /<user>/. */
export async function startRadicale(options: RadicaleOptions): Promise<RunningRadicale> {
  const storageDir = await makeTempDir('radicale-')
  const htpasswd = join(storageDir, 'users')
  const configFile = join(storageDir, 'config')
  await writeFile(
    htpasswd,
    Object.entries(options.users)
      .map(([user, password]) => `${user}:${password}\n`)
      .join(''),
  )
  const server = await startInDir(storageDir, async (port) => {
    // --config replaces the default config paths, so /etc/radicale/config (remote_user auth) is not read.
    await writeFile(configFile, radicaleConfig(port, htpasswd, storageDir))
    return { command: '/usr/bin/radicale', args: ['--config', configFile] }
  })
  return {
    ...server,
    async addUser(username, password) {
      if (/[:\n]/.test(username) || password.includes('\n')) throw new Error('htpasswd cannot hold this login')
      await appendFile(htpasswd, `${username}:${password}\n`)
    },
  }
}

function radicaleConfig(port: number, htpasswd: string, storageDir: string): string {
  return [
    '[server]',
    `hosts = 127.0.0.1:${port}`,
    'max_connections = 20',
    '[auth]',
    'type = htpasswd',
    `htpasswd_filename = ${htpasswd}`,
    'htpasswd_encryption = plain',
    // Radicale sleeps this long after a failed login by default (1 s); tests try wrong passwords on purpose.
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
}
