// The outbox is the database: appointments booked while the CalDAV server is down stay PENDING (the booking itself
// succeeds at once), survive the app being stopped, and are written by the next instance once the server is back —
// exactly once. Two app instances in sequence on one PostgreSQL schema (also in the PGlite pass).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processWriteBackQueue } from '../../../src/writeBack/outbox.ts'
import { useDeployment } from '../../support/deployment.ts'
import type { SyncServer } from '../../support/integrationFixtures.ts'
import { at, upcomingMonday } from '../scheduling/support.ts'
import { bookOrThrow } from '../scheduling/flows.ts'
import {
  drainOutbox,
  linkedMember,
  listResources,
  serverKinds,
  switchableProxy,
  type Login,
  type Switchable,
} from './support.ts'

describe.each(serverKinds)('outbox across a restart on $name', (kind) => {
  const deployment = useDeployment('wb_restart')
  let server: SyncServer
  let proxy: Switchable | null = null
  beforeAll(async () => {
    const real = await kind.start()
    if (real.icloud) {
      server = real
    } else {
      // A pass-through the test can switch off, so Radicale and Xandikos can be "down" too.
      proxy = await switchableProxy(real.serverUrl)
      server = { ...real, serverUrl: proxy.url, stop: () => real.stop() }
    }
  }, 60_000)
  afterAll(async () => {
    await proxy?.close()
    await server?.stop()
  })

  const setDown = (down: boolean) => {
    if (server.icloud) server.icloud.quirks.dropConnections = down
    else proxy!.down = down
  }

  it('writes what was booked during an outage after the app restarts, once', async () => {
    const first = await deployment.start()
    let userId: string
    let appointmentId: string
    let calendarUrl: string
    let login: Login
    try {
      const m = await linkedMember(first, server)
      ;({ userId, calendarUrl, login } = m)
      setDown(true)
      const started = Date.now()
      ;({ appointmentId } = await bookOrThrow(m.f, at(upcomingMonday(), 10)))
      expect(Date.now() - started).toBeLessThan(5_000) // the booking does not wait for the server
      await processWriteBackQueue(first.services)
      const p = await first.services.prisma.appointmentParticipant.findFirstOrThrow({ where: { appointmentId } })
      expect(p).toMatchObject({ writeBackState: 'PENDING', attempts: 1, remoteHref: null })
      expect(p.writeBackError).toBeTruthy()
    } finally {
      await first.close()
    }

    setDown(false)
    const second = await deployment.start()
    try {
      // Time passes: the back-off is over.
      await second.services.prisma.appointmentParticipant.updateMany({
        where: { appointmentId },
        data: { nextAttemptAt: new Date(Date.now() - 1000) },
      })
      await drainOutbox(second)
      await drainOutbox(second)
      const p = await second.services.prisma.appointmentParticipant.findFirstOrThrow({
        where: { appointmentId, userId },
      })
      expect(p).toMatchObject({ writeBackState: 'SYNCED', attempts: 0, writeBackError: null })
      expect(await listResources(login, calendarUrl)).toEqual([
        expect.stringContaining(p.remoteHref!.split('/').pop()!.replace('%40', '@')),
      ])
    } finally {
      await second.close()
    }
  }, 60_000)
})
