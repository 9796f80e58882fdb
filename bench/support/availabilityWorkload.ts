// The availability benchmarks' workload: a ROUND_ROBIN calendar whose members each have conflict calendars of
// deterministic events (some recurring), seeded into the database as the sync engine would (one blocked slot per
// occurrence in the window) and, for the peer approach, into a CalDAV server.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DateTime } from 'luxon'
import { createApp, type App } from '../../src/app/app.ts'
import { expandCalendarResource } from '../../src/caldav/ical/index.ts'
import { loadConfig } from '../../src/config.ts'
import { vacuumDatabase } from '../../src/db/embeddedVacuum.ts'
import type { CalendarSettings } from '../../src/scheduling/slots.ts'
import { generateEncryptionKey } from '../../src/security/secrets.ts'
import { dropSchema } from '../../test/support/testApp.ts'

export const ZONE = 'Europe/Berlin'
export const DAY = 86_400_000
export const WORKING_HOURS = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 }))
export const SETTINGS: CalendarSettings = {
  type: 'ROUND_ROBIN',
  timeZone: ZONE,
  slotDurationMinutes: 30,
  slotIntervalMinutes: 30,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  bookingWindowDays: 60,
  maxBookingsPerDayPerMember: null,
  seatsPerSlot: null,
}

export interface WorkloadShape {
  members: number
  calendarsPerMember: number
  eventsPerCalendar: number
  recurringShare: number
}

interface Resource {
  uid: string
  ics: string
}

export interface Workload {
  shape: WorkloadShape
  /** calendars[member][calendar] */
  calendars: Resource[][][]
  /** The sync window: 30 days back, a year ahead. */
  windowStart: number
  windowEnd: number
  /** The 30 days asked for, from tomorrow 00:00 in ZONE. */
  range: { from: Date; to: Date }
}

// Deterministic data: the same events on every database and on the CalDAV server.
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const icsTime = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat("yyyyMMdd'T'HHmmss")

function buildCalendar(seed: number, shape: WorkloadShape, windowStart: number, windowEnd: number): Resource[] {
  const random = rng(seed)
  const out: Resource[] = []
  const recurring = Math.round(shape.eventsPerCalendar * shape.recurringShare)
  for (let i = 0; i < shape.eventsPerCalendar; i++) {
    const uid = `bench-${seed}-${i}@example.com`
    const day = DateTime.fromMillis(windowStart + Math.floor(random() * (windowEnd - windowStart)), {
      zone: ZONE,
    }).startOf('day')
    const start = day.set({ hour: 7 + Math.floor(random() * 12), minute: [0, 15, 30, 45][Math.floor(random() * 4)]! })
    const end = start.plus({ minutes: 15 * (1 + Math.floor(random() * 8)) })
    const rule =
      i < recurring
        ? random() < 0.7
          ? `RRULE:FREQ=WEEKLY;COUNT=${4 + Math.floor(random() * 40)}\r\n`
          : `RRULE:FREQ=DAILY;COUNT=${3 + Math.floor(random() * 20)}\r\n`
        : ''
    const transp = random() < 0.05 ? 'TRANSP:TRANSPARENT\r\n' : ''
    const ics =
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\n' +
      `UID:${uid}\r\nDTSTAMP:20260101T000000Z\r\n` +
      `DTSTART;TZID=${ZONE}:${icsTime(start.toMillis())}\r\nDTEND;TZID=${ZONE}:${icsTime(end.toMillis())}\r\n` +
      `${rule}${transp}SUMMARY:Event ${i}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`
    out.push({ uid, ics })
  }
  return out
}

/** `now` rounded to the day, so a parent and its child processes build the same workload. */
export function buildWorkload(shape: WorkloadShape, now = Date.now()): Workload {
  const today = DateTime.fromMillis(now, { zone: ZONE }).startOf('day').toMillis()
  const windowStart = today - 30 * DAY
  const windowEnd = today + 365 * DAY
  const calendars = Array.from({ length: shape.members }, (_, m) =>
    Array.from({ length: shape.calendarsPerMember }, (_, c) =>
      buildCalendar(1000 + m * 10 + c, shape, windowStart, windowEnd),
    ),
  )
  const rangeStart = today + DAY
  return {
    shape,
    calendars,
    windowStart,
    windowEnd,
    range: { from: new Date(rangeStart), to: new Date(rangeStart + 30 * DAY) },
  }
}

export interface SeededDatabase {
  app: App
  url: string
  token: string
  calendarId: string
  blockedSlots: number
  close(): Promise<void>
}

async function openApp(kind: 'pglite' | 'postgres', databaseUrl: string, env: Record<string, string>) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-availability-'))
  const schema = kind === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined
  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEYS: generateEncryptionKey('bench'),
    LOG_LEVEL: 'silent',
    ...(kind === 'postgres' ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  })
  const app = await createApp(config, { databaseSchema: schema, startBackgroundJobs: false })
  const close = async () => {
    await app.close()
    if (schema) await dropSchema(databaseUrl, schema)
    await rm(dataDir, { recursive: true, force: true })
  }
  return { app, close }
}

/** An app on `kind` with the workload's calendar, members, integrations, objects and blocked slots. */
export async function seedDatabase(
  workload: Workload,
  kind: 'pglite' | 'postgres',
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<SeededDatabase> {
  const { app, close } = await openApp(kind, databaseUrl, env)
  const { url } = await app.listen()
  const { prisma, tokens } = app.services
  const subaccount = await prisma.subaccount.create({ data: { name: 'Bench', timeZone: ZONE } })
  const calendar = await prisma.crmCalendar.create({
    data: {
      subaccountId: subaccount.id,
      name: 'Round robin',
      type: 'ROUND_ROBIN',
      timeZone: ZONE,
      slotDurationMinutes: 30,
    },
  })
  let blockedSlots = 0
  let adminId = ''
  for (let m = 0; m < workload.shape.members; m++) {
    const user = await prisma.user.create({
      data: { email: `bench-${m}-${randomBytes(3).toString('hex')}@example.com`, name: `Member ${m}`, timeZone: ZONE },
    })
    await prisma.membership.create({ data: { userId: user.id, subaccountId: subaccount.id, role: 'ADMIN' } })
    if (m === 0) adminId = user.id
    await prisma.crmCalendarMember.create({
      data: { calendarId: calendar.id, userId: user.id, timeZone: ZONE, workingHours: { create: WORKING_HOURS } },
    })
    blockedSlots += await seedMember(app, workload, m, user.id, subaccount.id)
  }
  // The state a running server has minutes after such a load: on PostgreSQL autovacuum vacuums and analyzes a table
  // of fresh rows within a minute or so; on PGlite the embedded-vacuum job vacuums at start and every 10 minutes.
  if (kind === 'postgres') await prisma.$executeRawUnsafe('VACUUM ANALYZE')
  else await vacuumDatabase(prisma)
  const token = await tokens.sign({ userId: adminId, subaccountId: subaccount.id })
  return { app, url, token, calendarId: calendar.id, blockedSlots, close }
}

/** One member's integration, conflict calendars, objects and blocked slots; returns the blocked-slot count. */
async function seedMember(app: App, workload: Workload, m: number, userId: string, subaccountId: string) {
  const { prisma } = app.services
  const window = { windowStart: new Date(workload.windowStart), windowEnd: new Date(workload.windowEnd) }
  const integration = await prisma.integration.create({
    data: {
      userId,
      subaccountId,
      appleId: `${userId}@icloud.example`,
      credentialCiphertext: 'x',
      credentialKeyId: 'bench',
      principalUrl: 'https://caldav.example/p/',
      homeUrl: 'https://caldav.example/h/',
      lastSyncedAt: new Date(Date.now() + DAY), // never stale during the run
      ...window,
    },
  })
  let count = 0
  for (let c = 0; c < workload.shape.calendarsPerMember; c++) {
    const remote = await prisma.calendar.create({
      data: {
        integrationId: integration.id,
        path: `/h/cal${c}/`,
        url: `https://caldav.example/h/cal${c}/`,
        displayName: `Calendar ${c}`,
        kind: 'EVENT_CALENDAR',
        components: ['VEVENT'],
        writable: true,
      },
    })
    await prisma.conflictCalendar.create({ data: { integrationId: integration.id, calendarId: remote.id } })
    const resources = workload.calendars[m]![c]!
    const objects = resources.map((r) => ({
      id: `obj_${randomBytes(8).toString('hex')}`,
      calendarId: remote.id,
      href: `/h/cal${c}/${encodeURIComponent(r.uid)}.ics`,
      etag: '"1"',
      uid: r.uid,
      data: r.ics,
    }))
    for (let i = 0; i < objects.length; i += 500)
      await prisma.calendarObject.createMany({ data: objects.slice(i, i + 500) })
    // Expanded occurrences, as the sync engine writes them (one row per occurrence in the window).
    const slots = resources.flatMap((r, i) =>
      expandCalendarResource(r.ics, { ...window, defaultTimeZone: ZONE, ownerEmails: [] }).occurrences.map((o) => ({
        userId,
        subaccountId,
        calendarId: remote.id,
        objectId: objects[i]!.id,
        recurrenceId: o.recurrenceId,
        start: o.busyStart,
        end: o.end,
        allDay: o.allDay,
        availability: o.transparency,
        source: 'ICLOUD' as const,
        title: o.title,
      })),
    )
    for (let i = 0; i < slots.length; i += 1000) await prisma.blockedSlot.createMany({ data: slots.slice(i, i + 1000) })
    count += slots.length
  }
  return count
}
