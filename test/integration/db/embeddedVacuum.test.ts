// PGlite has no autovacuum: the embedded-vacuum job vacuums it (so the visibility map lets availability's busy-time
// read skip the heap) and leaves PostgreSQL to its own autovacuum.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createEmbeddedVacuumJob } from '../../../src/db/embeddedVacuum.ts'
import { createSubaccount, createUser } from '../../support/factories.ts'
import { startTestApp, testDatabaseUrl, type TestApp } from '../../support/testApp.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t?.close()
})

const allVisiblePages = async () => {
  const [row] = await t.services.prisma.$queryRaw<{ pages: number }[]>`
    SELECT relallvisible AS pages FROM pg_class WHERE oid = '"BlockedSlot"'::regclass`
  return Number(row!.pages)
}

describe('embedded vacuum job', () => {
  it.skipIf(testDatabaseUrl !== null)(
    'vacuums PGlite when it starts, so index-only scans can skip the heap',
    async () => {
      const { prisma } = t.services
      const subaccount = await createSubaccount(t.services)
      const user = await createUser(t.services, subaccount.id)
      const start = Date.UTC(2031, 0, 6)
      await prisma.blockedSlot.createMany({
        data: Array.from({ length: 500 }, (_, i) => ({
          userId: user.id,
          subaccountId: subaccount.id,
          start: new Date(start + i * 3_600_000),
          end: new Date(start + i * 3_600_000 + 1_800_000),
          source: 'CRM' as const,
        })),
      })
      expect(await allVisiblePages()).toBe(0)

      const job = createEmbeddedVacuumJob(t.services)
      job.start()
      await job.stop() // waits for the vacuum in flight
      expect(await allVisiblePages()).toBeGreaterThan(0)
    },
  )

  it('does nothing on PostgreSQL, where autovacuum runs', async () => {
    const prisma = { $executeRawUnsafe: vi.fn() }
    const job = createEmbeddedVacuumJob({ ...t.services, prisma: prisma as never, databaseKind: 'postgres' })
    job.start()
    await job.stop()
    expect(prisma.$executeRawUnsafe).not.toHaveBeenCalled()
  })
})
