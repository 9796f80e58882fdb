// `npx tsx bench/booking.bench.ts`: what the booking-time re-check adds to a booking. Against the iCloud test server
// (a proxy in front of Radicale on loopback), member with a linked calendar that is also their conflict calendar,
// nothing changed on the server between bookings (the common case: one sync-collection request per calendar).
// Baseline measured in the same run: the same booking without the re-check. PGlite in memory. Writes
// bench/results/booking.json and booking.md.
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DateTime } from 'luxon'
import { bookAppointment } from '../src/scheduling/booking.ts'
import { syncIntegration } from '../src/sync/index.ts'
import { recheckICloudBeforeBooking } from '../src/writeBack/bookingRecheck.ts'
import { startICloudServer } from '../test/support/caldav/icloud/index.ts'
import { createSubaccount, createUser } from '../test/support/factories.ts'
import { createIntegrationFixture } from '../test/support/integrationFixtures.ts'
import { openBenchServices } from './support/syncBenchSetup.ts'

const ROUNDS = 40
const ZONE = 'Europe/Berlin'
const here = path.dirname(fileURLToPath(import.meta.url))
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d

async function main() {
  const icloud = await startICloudServer()
  const appleId = 'bench@icloud.com'
  const password = 'abcd-efgh-ijkl-mnop'
  const account = await icloud.addAccount({ appleId, appSpecificPassword: password, defaultCalendars: false })
  const calendarUrl = await account.addCalendar('work', { displayName: 'Work' })
  const { services, close } = await openBenchServices({ serverUrl: icloud.entryUrl })
  try {
    const subaccount = await createSubaccount(services, { timeZone: ZONE })
    const user = await createUser(services, subaccount.id, { timeZone: ZONE })
    const fx = await createIntegrationFixture(
      services,
      { id: user.id, subaccountId: subaccount.id },
      { name: 'iCloud', serverUrl: icloud.entryUrl, username: appleId, password } as never,
      { conflicts: [], linked: calendarUrl, alsoConflict: true },
    )
    await syncIntegration(services, fx.integrationId, 'MANUAL')
    const calendar = await services.prisma.crmCalendar.create({
      data: {
        subaccountId: subaccount.id,
        name: 'Bench',
        type: 'SERVICE',
        timeZone: ZONE,
        slotDurationMinutes: 30,
        slotIntervalMinutes: 30,
        bookingWindowDays: 60,
        members: {
          create: {
            userId: user.id,
            timeZone: ZONE,
            workingHours: {
              create: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 480, endMinute: 1080 })),
            },
          },
        },
      },
    })
    // 2 × ROUNDS distinct weekday slots from a Monday a week ahead.
    let day = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 8 })
    while (day.weekday !== 1) day = day.plus({ days: 1 })
    const slots: Date[] = []
    while (slots.length < ROUNDS * 2) {
      if (day.weekday <= 5)
        for (let h = 8; h < 18 && slots.length < ROUNDS * 2; h++) slots.push(day.set({ hour: h }).toJSDate())
      day = day.plus({ days: 1 })
    }
    const book = (start: Date, skipICloudRecheck: boolean) =>
      bookAppointment(
        services,
        {
          subaccountId: subaccount.id,
          calendarId: calendar.id,
          start,
          contact: { name: 'Bench', email: `b-${randomBytes(4).toString('hex')}@example.com` },
        },
        { skipICloudRecheck },
      )

    const without: number[] = []
    const withRecheck: number[] = []
    const recheckOnly: number[] = []
    const outcomes: Record<string, number> = {}
    for (let i = 0; i < 3; i++)
      await recheckICloudBeforeBooking(services, { subaccountId: subaccount.id, userIds: [user.id] }) // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      let t0 = performance.now()
      await book(slots[2 * i]!, true)
      without.push(performance.now() - t0)
      t0 = performance.now()
      const { iCloudRecheck } = await book(slots[2 * i + 1]!, false)
      withRecheck.push(performance.now() - t0)
      outcomes[iCloudRecheck] = (outcomes[iCloudRecheck] ?? 0) + 1
      t0 = performance.now()
      await recheckICloudBeforeBooking(services, { subaccountId: subaccount.id, userIds: [user.id] })
      recheckOnly.push(performance.now() - t0)
    }
    const requestsPerRecheck = 1 // one sync-collection REPORT for the one (unchanged) calendar; verified below
    icloud.clearRequests()
    await recheckICloudBeforeBooking(services, { subaccountId: subaccount.id, userIds: [user.id] })
    const observedRequests = icloud.requests.length

    const summary = {
      without: { p50: round(pct(without, 0.5)), p95: round(pct(without, 0.95)) },
      withRecheck: { p50: round(pct(withRecheck, 0.5)), p95: round(pct(withRecheck, 0.95)) },
      recheckAlone: { p50: round(pct(recheckOnly, 0.5)), p95: round(pct(recheckOnly, 0.95)) },
    }
    const result = {
      machine: {
        cpu: os.cpus()[0]?.model,
        cores: os.cpus().length,
        memoryGb: round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      date: new Date().toISOString(),
      command: 'npx tsx bench/booking.bench.ts',
      setup: `${ROUNDS} bookings each way, alternating; PGlite in memory; iCloud test server on loopback; 1 conflict calendar (the linked one), unchanged`,
      ms: summary,
      ratio: {
        p50: round(summary.withRecheck.p50 / summary.without.p50, 2),
        p95: round(summary.withRecheck.p95 / summary.without.p95, 2),
      },
      recheckOutcomes: outcomes,
      requestsPerRecheck: { expected: requestsPerRecheck, observed: observedRequests },
    }
    await mkdir(path.join(here, 'results'), { recursive: true })
    await writeFile(path.join(here, 'results', 'booking.json'), JSON.stringify(result, null, 2) + '\n')
    const md = [
      '# Booking latency with the iCloud re-check',
      '',
      `${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGb} GB, Node ${result.machine.node}; ${result.date}; \`${result.command}\``,
      '',
      result.setup + '.',
      '',
      '| | p50 ms | p95 ms |',
      '|---|---|---|',
      `| bookAppointment, skipICloudRecheck (baseline) | ${summary.without.p50} | ${summary.without.p95} |`,
      `| bookAppointment with the re-check (default) | ${summary.withRecheck.p50} | ${summary.withRecheck.p95} |`,
      `| re-check alone | ${summary.recheckAlone.p50} | ${summary.recheckAlone.p95} |`,
      `| ratio with / without | ${result.ratio.p50}× | ${result.ratio.p95}× |`,
      '',
      `Re-check outcomes: ${JSON.stringify(outcomes)}. CalDAV requests per re-check of an unchanged calendar: ${observedRequests}.`,
      '',
    ].join('\n')
    await writeFile(path.join(here, 'results', 'booking.md'), md)
    console.log(md)
  } finally {
    await close()
    await icloud.stop()
  }
}

await main()
