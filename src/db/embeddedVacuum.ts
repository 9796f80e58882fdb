// PGlite runs PostgreSQL without autovacuum, so nothing would ever vacuum the embedded database: rows the sync engine
// replaces stay as dead tuples, and the visibility map is never set, so an index-only scan (availability's busy-time
// read on a cache miss) still visits every heap page. This job stands in for autovacuum there; on PostgreSQL it does
// nothing (autovacuum's job). Plain VACUUM: after the first one it touches only the pages changed since, tens of ms
// (ANALYZE would hold PGlite's one connection for most of a second, and the hot statements use generic plans).
import type { Services } from '../app/services.ts'
import type { BackgroundJob } from '../backgroundJob.ts'
import { everyInterval, type RepeatingTick } from '../timing/everyInterval.ts'

const VACUUM_INTERVAL_SECONDS = 600

export async function vacuumDatabase(prisma: Services['prisma']): Promise<void> {
  await prisma.$executeRawUnsafe('VACUUM')
}

export function createEmbeddedVacuumJob(services: Pick<Services, 'prisma' | 'databaseKind' | 'logger'>): BackgroundJob {
  let task: RepeatingTick | null = null
  let running: Promise<void> | null = null
  const vacuum = () => {
    if (running) return
    const started = performance.now()
    running = vacuumDatabase(services.prisma)
      .then(() => services.logger.debug({ ms: Math.round(performance.now() - started) }, 'embedded database vacuumed'))
      .catch((error: unknown) => services.logger.error({ err: error }, 'embedded database vacuum failed'))
      .finally(() => {
        running = null
      })
  }
  return {
    start() {
      if (task || services.databaseKind !== 'pglite') return
      task = everyInterval(VACUUM_INTERVAL_SECONDS, vacuum, 'embedded-vacuum')
      vacuum()
    },
    async stop() {
      await task?.stop()
      task = null
      await running
    },
  }
}
