// Local stand-in for iCloud CalDAV: `npx tsx scripts/devICloud.ts`, then point the API at the printed URL.
// DEV_ICLOUD_PORT (default 5232) is the entry host, DEV_ICLOUD_PORT + 1 the partition host.
// DEV_ICLOUD_QUIRKS=vtimezoneAfterVevent,omitEtagOnPut,omitSubscribedSource switches boolean quirks on.
import { startICloudServer, type ICloudQuirks } from '../test/support/caldav/icloud/index.ts'

const APPLE_ID = 'demo@icloud.com'
const APP_PASSWORD = 'abcd-efgh-ijkl-mnop'
const BOOLEAN_QUIRKS = [
  'invalidateSyncTokens',
  'omitEtagOnPut',
  'vtimezoneAfterVevent',
  'omitSubscribedSource',
] as const

function icsDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

function dayAt(daysFromToday: number, hourUtc: number, minute = 0): Date {
  const d = new Date()
  d.setUTCHours(hourUtc, minute, 0, 0)
  d.setUTCDate(d.getUTCDate() + daysFromToday)
  return d
}

function event(uid: string, summary: string, start: Date, end: Date, extra: string[] = []): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Apple Inc.//macOS 14.0//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${icsDate(new Date())}`,
    `DTSTART:${icsDate(start)}`,
    `DTEND:${icsDate(end)}`,
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n')
}

function parisEvent(uid: string, summary: string, daysFromToday: number): string {
  const day = icsDate(dayAt(daysFromToday, 0)).slice(0, 8)
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Apple Inc.//macOS 14.0//EN',
    'BEGIN:VTIMEZONE',
    'TZID:Europe/Paris',
    'BEGIN:DAYLIGHT',
    'DTSTART:19810329T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'DTSTART:19961027T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'END:STANDARD',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${icsDate(new Date())}`,
    `DTSTART;TZID=Europe/Paris:${day}T140000`,
    `DTEND;TZID=Europe/Paris:${day}T150000`,
    `SUMMARY:${summary}`,
    'X-APPLE-TRAVEL-DURATION;VALUE=DURATION:PT30M',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n')
}

async function main(): Promise<void> {
  const entryPort = Number(process.env.DEV_ICLOUD_PORT ?? 5232)
  if (!Number.isInteger(entryPort) || entryPort <= 0 || entryPort >= 65535) throw new Error('bad DEV_ICLOUD_PORT')
  const server = await startICloudServer({ entryPort, partitionPort: entryPort + 1 })

  const enabled = (process.env.DEV_ICLOUD_QUIRKS ?? '')
    .split(',')
    .map((q) => q.trim())
    .filter(Boolean)
  for (const quirk of enabled) {
    if (!(BOOLEAN_QUIRKS as readonly string[]).includes(quirk)) throw new Error(`unknown quirk ${quirk}`)
    server.quirks[quirk as (typeof BOOLEAN_QUIRKS)[number] & keyof ICloudQuirks] = true
  }

  const account = await server.addAccount({ appleId: APPLE_ID, appSpecificPassword: APP_PASSWORD, dsid: '1234567890' })
  await account.addCalendar('work', { displayName: 'Work', color: '#1BADF8FF' })
  await account.addCalendar('home', { displayName: 'Home', color: '#63DA38FF' })
  await account.addCalendar('team-shared', {
    displayName: 'Team (shared, read-only)',
    color: '#FF2968FF',
    readOnlyShared: true,
  })

  await account.putEvent(
    'work',
    'standup.ics',
    event('demo-standup', 'Daily stand-up', dayAt(1, 8), dayAt(1, 8, 15), ['RRULE:FREQ=DAILY;COUNT=10']),
  )
  await account.putEvent('work', 'review.ics', parisEvent('demo-review', 'Quarterly review (Paris time)', 2))
  await account.putEvent(
    'work',
    'declined.ics',
    event('demo-declined', 'Declined sync', dayAt(1, 13), dayAt(1, 14), [
      'ORGANIZER:mailto:boss@example.com',
      'ATTENDEE;PARTSTAT=DECLINED:mailto:demo@icloud.com',
    ]),
  )
  await account.putEvent('home', 'dentist.ics', event('demo-dentist', 'Dentist', dayAt(3, 15), dayAt(3, 16)))
  await account.putEvent(
    'home',
    'holiday.ics',
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Apple Inc.//macOS 14.0//EN',
      'BEGIN:VEVENT',
      'UID:demo-day-off',
      `DTSTAMP:${icsDate(new Date())}`,
      `DTSTART;VALUE=DATE:${icsDate(dayAt(5, 0)).slice(0, 8)}`,
      `DTEND;VALUE=DATE:${icsDate(dayAt(6, 0)).slice(0, 8)}`,
      'SUMMARY:Day off',
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  )
  await account.putEvent('team-shared', 'offsite.ics', event('demo-offsite', 'Team offsite', dayAt(4, 9), dayAt(4, 17)))

  const entryUrl = server.entryUrl.replace(/\/$/, '')
  console.log(`iCloud test server running
  entry host (caldav.icloud.com):        ${server.entryUrl}
  partition host (p42-caldav.icloud.com): ${server.partitionUrl}
  Apple ID:              ${APPLE_ID}
  app-specific password: ${APP_PASSWORD}
  principal:             ${server.entryUrl}${account.principalPath.slice(1)}
  calendar home:         ${server.partitionUrl}${account.homePath.slice(1)}
  calendars: work (Work), home (Home), team-shared (read-only shared), calendar (default), tasks (Reminders);
             the home also lists inbox/, outbox/, notification/ and holidays-sub/ (subscribed)
  quirks on: ${enabled.length ? enabled.join(', ') : 'none'} (DEV_ICLOUD_QUIRKS=${BOOLEAN_QUIRKS.join(',')})

Point the API at it with:
  ICLOUD_CALDAV_URL=${entryUrl}

Ctrl-C to stop.`)

  let stopping = false
  const shutdown = () => {
    if (stopping) return
    stopping = true
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
