import { makeTempDir, startInDir } from './process.ts'
import type { RunningCalDavServer } from './radicale.ts'

export interface RunningXandikos extends RunningCalDavServer {
  /** e.g. /user/ — Xandikos has no auth, every request acts as this principal */
  principalPath: string
  /** e.g. /user/calendars/ — `--defaults` creates /user/calendars/calendar/ and /user/contacts/addressbook/ in it */
  homePath: string
}

/** Xandikos 0.2.8 (Debian): no authentication; credentials sent by clients are ignored. */
export async function startXandikos(options: { user?: string } = {}): Promise<RunningXandikos> {
  const user = options.user ?? 'user'
  const principalPath = `/${user}/`
  const storageDir = await makeTempDir('xandikos-')
  const server = await startInDir(storageDir, async (port) => ({
    command: '/usr/bin/xandikos',
    args: [
      '--defaults',
      '--current-user-principal',
      principalPath,
      '-d',
      storageDir,
      '-l',
      '127.0.0.1',
      '-p',
      String(port),
    ],
  }))
  return { ...server, principalPath, homePath: `${principalPath}calendars/` }
}
