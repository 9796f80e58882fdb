// The one server process of bench/fanout.bench.ts: the app of FANOUT_ROOT (this tree, or a checkout of the
// baseline commit) on a fresh PGlite database, plus requests to seed calendars and read its memory.
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { createTeam } from '../../test/support/factories.ts'
import type { Services } from '../../src/app/services.ts'
import { serveRequests } from './childRpc.ts'
import { postGraphql } from './graphqlHttp.ts'

const root = process.env.FANOUT_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const load = (file: string) => import(pathToFileURL(path.join(root, file)).href)

const { createApp } = (await load('src/app/app.ts')) as typeof import('../../src/app/app.ts')
const { loadConfig } = (await load('src/config.ts')) as typeof import('../../src/config.ts')
const { generateEncryptionKey } = (await load(
  'src/security/secrets.ts',
)) as typeof import('../../src/security/secrets.ts')

const config = loadConfig({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  DATA_DIR: await mkdtemp(path.join(tmpdir(), 'fanout-')),
  AUTH_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEYS: generateEncryptionKey('bench'),
  LOG_LEVEL: 'warn',
  // One address opens every public subscription of the benchmark.
  PUBLIC_RATE_LIMIT_PER_IP: '1000000',
  PUBLIC_RATE_LIMIT_PER_CALENDAR: '1000000',
  PUBLIC_SUBSCRIPTIONS_PER_IP: '1000000',
  ...(process.env.FANOUT_DATABASE_URL ? { DATABASE_URL: process.env.FANOUT_DATABASE_URL } : {}),
})
const app = await createApp(config, { startBackgroundJobs: false })
const { url } = await app.listen()
const graphqlUrl = `${url}/graphql`
// The baseline commit has no shared feeds.
const services: Omit<Services, 'liveAvailability'> & Partial<Services> = app.services

const CREATE_CALENDAR = `mutation($input: CreateCrmCalendarInput!) { createCrmCalendar(input: $input) {
  __typename ... on CreateCrmCalendarSuccess { crmCalendar { id } } } }`
const ADD_MEMBER = `mutation($input: AddCrmCalendarMemberInput!) { addCrmCalendarMember(input: $input) { __typename } }`
const PUBLISH = `mutation($input: PublishCrmCalendarInput!) { publishCrmCalendar(input: $input) {
  __typename ... on PublishCrmCalendarSuccess { crmCalendar { slug } } } }`
const WEEKDAYS_9_TO_5 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 }))

/** One subaccount per calendar, its admin the only member (and the one whose blocked slots change it). */
async function seedCalendar(index: number, publish: boolean) {
  const { admin, subaccount } = await createTeam(app.services, { timeZone: 'Europe/Berlin' })
  const created = await postGraphql<{ createCrmCalendar: { crmCalendar: { id: string } } }>(
    graphqlUrl,
    admin.token,
    CREATE_CALENDAR,
    {
      input: {
        name: `Fan-out ${index}`,
        type: 'SERVICE',
        timeZone: 'Europe/Berlin',
        slotDurationMinutes: 60,
        slotIntervalMinutes: 30,
        bookingWindowDays: 60,
      },
    },
  )
  const calendarId = created.createCrmCalendar.crmCalendar.id
  const userId = encodeGlobalID('User', admin.id)
  await postGraphql(graphqlUrl, admin.token, ADD_MEMBER, {
    input: { calendarId, userId, priority: 0, timeZone: 'Europe/Berlin', workingHours: WEEKDAYS_9_TO_5 },
  })
  if (!publish) return { calendarId, userId, token: admin.token }
  const published = await postGraphql<{ publishCrmCalendar: { crmCalendar: { slug: string } } }>(
    graphqlUrl,
    admin.token,
    PUBLISH,
    { input: { calendarId, published: true } },
  )
  const slugs = { subaccountSlug: subaccount.slug, calendarSlug: published.publishCrmCalendar.crmCalendar.slug }
  return { calendarId, userId, token: admin.token, slugs }
}

serveRequests({
  url: () => graphqlUrl,
  seed: async ({ calendars, publish = false }: { calendars: number; publish?: boolean }) => {
    const seeded = []
    for (let i = 0; i < calendars; i++) seeded.push(await seedCalendar(i, publish))
    return seeded
  },
  memory: () => {
    for (let i = 0; i < 3; i++) globalThis.gc?.()
    const { heapUsed, rss } = process.memoryUsage()
    return { heapUsed, rss }
  },
  stats: () => services.liveAvailability?.stats() ?? null,
  cpu: () => process.cpuUsage(),
})
