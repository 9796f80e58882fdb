// The outbox is the database: appointments booked while the CalDAV server is down stay PENDING (the booking itself
// succeeds at once), survive the app being stopped, and are written by the next instance once the server is back —
// exactly once. Two app instances in sequence on one PostgreSQL schema (also in the PGlite pass).
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateEncryptionKey } from '../../../src/security/secrets.ts'
import type { SyncServer } from '../../support/integrationFixtures.ts'
import { dropSchema, startTestApp, testDatabaseUrl } from '../../support/testApp.ts'
import { at, book, rawId, upcomingMonday } from '../scheduling/support.ts'
import {
  drainOutbox,
  listResources,
  serverKinds,
  setUpLinkedCalendar,
  switchableProxy,
  type Switchable,
} from './support.ts'
import { processWriteBackQueue } from '../../../src/writeBack/outbox.ts'

const databaseUrl = testDatabaseUrl ?? 'postgres://postgres@127.0.0.1:5432/test'

describe.each(serverKinds)('outbox across a restart on $name', (kind) => {
  const schema = `wb_restart_${randomBytes(6).toString('hex')}`
  const env = {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEYS: generateEncryptionKey('restart'),
  }
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
    await dropSchema(databaseUrl, schema)
  })

  const setDown = (down: boolean) => {
    if (server.icloud) server.icloud.quirks.dropConnections = down
    else proxy!.down = down
  }

  it('writes what was booked during an outage after the app restarts, once', async () => {
    const first = await startTestApp(env, { databaseSchema: schema })
    let userId: string
    let appointmentId: string
    let calendarUrl: string
    let login: Awaited<ReturnType<typeof setUpLinkedCalendar>>[number]['login']
    try {
      const [m] = await setUpLinkedCalendar(first, server)
      ;({ userId, calendarUrl, login } = m!)
      setDown(true)
      const started = Date.now()
      const booked = await book(m!.f, at(upcomingMonday(), 10))
      if (booked.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(booked))
      expect(Date.now() - started).toBeLessThan(5_000) // the booking does not wait for the server
      appointmentId = rawId(booked.appointment.id)
      await processWriteBackQueue(first.services)
      const p = await first.services.prisma.appointmentParticipant.findFirstOrThrow({ where: { appointmentId } })
      expect(p).toMatchObject({ writeBackState: 'PENDING', attempts: 1, remoteHref: null })
      expect(p.writeBackError).toBeTruthy()
    } finally {
      await first.close()
    }

    setDown(false)
    const second = await startTestApp(env, { databaseSchema: schema })
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
