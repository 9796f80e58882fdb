// `npm run cluster`: 2 API + 2 worker processes (CLUSTER_APIS / CLUSTER_WORKERS) on the local PostgreSQL and Redis,
// for trying a multi-process deployment by hand. Ctrl-C stops them all.
import { randomBytes } from 'node:crypto'
import { generateEncryptionKey } from '../src/security/secrets.ts'
import { startCluster } from './cluster/processes.ts'

const env: Record<string, string> = {
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  DATABASE_SCHEMA: process.env.DATABASE_SCHEMA ?? 'cluster',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  // Every process must sign and encrypt alike: shared secrets (generated for this run unless given).
  AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: process.env.ENCRYPTION_KEYS ?? generateEncryptionKey('cluster'),
}
const counts = { apis: Number(process.env.CLUSTER_APIS ?? 2), workers: Number(process.env.CLUSTER_WORKERS ?? 2) }
const processes = await startCluster(env, counts, true)
for (const p of processes) console.log(`${p.name} (${p.role}): ${p.url}/graphql  ${p.url}/metrics`)
const stop = () => void Promise.all(processes.map((p) => p.stop())).then(() => process.exit(0))
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
