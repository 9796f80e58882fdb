// `npm run keys:rotate`: re-encrypts every iCloud credential with the current key (the first of ENCRYPTION_KEYS, or of
// the data dir's secrets.json). Put the new key first, keep the old ones, run this, then drop the old keys.
import { createServices } from '../src/app/app.ts'
import { loadConfig } from '../src/config.ts'
import { rotateCredentials } from '../src/security/rotateCredentials.ts'

const config = loadConfig()
const { services, database, closePubSub } = await createServices(config)
try {
  const report = await rotateCredentials(services)
  console.log(
    `key ${services.cipher.currentKeyId}: ${report.rotated} re-encrypted, ${report.alreadyCurrent} already current, ` +
      `${report.failed.length} failed${report.failed.length ? ` (${report.failed.join(', ')})` : ''}`,
  )
  if (report.failed.length > 0) process.exitCode = 1
} finally {
  await closePubSub()
  await database.close()
}
