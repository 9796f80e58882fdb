// Our side of bench/availabilityLoad.bench.ts, in its own process (the load generator must not share its event
// loop): the app on PGlite or PostgreSQL (LOAD_DB_KIND), seeded with the workload, and the availability request.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { buildWorkload, seedDatabase, ZONE, type Workload } from './availabilityWorkload.ts'
import { serveRequests } from './childRpc.ts'

const workload = buildWorkload(JSON.parse(process.env.LOAD_WORKLOAD!) as Workload['shape'])
const kind = process.env.LOAD_DB_KIND === 'postgres' ? 'postgres' : 'pglite'
const db = await seedDatabase(
  workload,
  kind,
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
)

const QUERY = `query Bench($calendarId: ID!, $from: DateTime!, $to: DateTime!, $timeZone: TimeZone!) {
  availability(calendarId: $calendarId, from: $from, to: $to, timeZone: $timeZone) {
    stale
    slots { start end localStart freeMembers }
  }
}`

serveRequests({
  request: () => ({
    url: `${db.url}/graphql`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${db.token}` },
    body: JSON.stringify({
      query: QUERY,
      variables: {
        calendarId: encodeGlobalID('CrmCalendar', db.calendarId),
        from: workload.range.from.toISOString(),
        to: workload.range.to.toISOString(),
        timeZone: ZONE,
      },
    }),
    blockedSlots: db.blockedSlots,
  }),
  stop: async () => {
    await db.close()
    return null
  },
})
