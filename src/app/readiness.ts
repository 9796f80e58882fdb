// /readyz: what this process depends on, and whether it can serve. The database is required (503 without it). Redis
// only carries subscription events between instances, so while it is down the process still serves queries and
// mutations and answers 200 "degraded": a load balancer keeps it, instead of dropping every instance at once.
import type { Services } from './services.ts'

export interface Readiness {
  httpStatus: 200 | 503
  body: { status: 'ready' | 'degraded' | 'unavailable'; database: 'up' | 'down'; redis?: 'up' | 'down' }
}

async function databaseIsUp(services: Pick<Services, 'prisma'>): Promise<boolean> {
  try {
    await services.prisma.$queryRaw`SELECT 1`
    return true
  } catch {
    return false
  }
}

export async function checkReadiness(services: Pick<Services, 'prisma' | 'pubsubState'>): Promise<Readiness> {
  const database = (await databaseIsUp(services)) ? 'up' : 'down'
  const pubsub = services.pubsubState()
  const redis = pubsub === 'memory' ? undefined : pubsub
  const status = database === 'down' ? 'unavailable' : redis === 'down' ? 'degraded' : 'ready'
  return { httpStatus: database === 'up' ? 200 : 503, body: { status, database, ...(redis ? { redis } : {}) } }
}
