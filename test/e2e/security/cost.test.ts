// Operation cost fits real use: lists cost what they may return (a connection its `first`, other lists their
// expected size), so an admin screen passes and a query that would return millions of values is refused with
// QUERY_TOO_COSTLY. Calibration: src/graphql/cost.ts, README "Limits and errors".
import { describe, expect, it } from 'vitest'
import { graphql } from '../../graphql/index.ts'
import { useTestApp, type TestApp } from '../../support/testApp.ts'
import { setUpCalendar, type Fixture } from '../scheduling/support.ts'
import { hostileDocuments } from './hostileDocuments.ts'

/** The admin calendars screen: every calendar with its settings, members, working hours and date overrides. */
const AdminCalendarsScreen = graphql(`
  query CostAdminCalendarsScreen($first: Int = 200, $after: String) {
    viewer {
      subaccount {
        id
        name
        timeZone
        crmCalendars(first: $first, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            cursor
            node {
              id
              name
              type
              timeZone
              slotDurationMinutes
              slotIntervalMinutes
              bufferBeforeMinutes
              bufferAfterMinutes
              minNoticeMinutes
              bookingWindowDays
              maxBookingsPerDayPerMember
              seatsPerSlot
              members {
                id
                priority
                timeZone
                user {
                  id
                  name
                  email
                }
                workingHours {
                  weekday
                  startMinute
                  endMinute
                }
                dateOverrides {
                  date
                  startMinute
                  endMinute
                }
              }
            }
          }
        }
      }
    }
  }
`)

const inlineAdminScreen = (first: number) =>
  `{ viewer { subaccount { crmCalendars(first: ${first}) { edges { node { id name members { id user { name } ` +
  `workingHours { weekday startMinute endMinute } dateOverrides { date startMinute endMinute } } } } } } } }`

let t: TestApp
let f: Fixture

useTestApp(async (app) => {
  t = app
  f = await setUpCalendar(t, { type: 'ROUND_ROBIN', members: 2 })
})

async function codesOf(query: string, variables?: Record<string, unknown>) {
  const result = await f.adminClient.execute(query, variables)
  return result.errors?.map((error) => error.extensions?.code) ?? []
}

describe('operation cost', () => {
  it('accepts the admin calendars screen with 200 calendars per page', async () => {
    const result = await f.adminClient.execute(AdminCalendarsScreen, {})
    expect(result.errors).toBeUndefined()
    const calendars = result.data?.viewer.subaccount.crmCalendars.edges ?? []
    expect(calendars.map((edge) => edge.node.members.length)).toEqual([2])
    expect(await codesOf(inlineAdminScreen(200))).toEqual([])
  })

  it('refuses the same screen asking for 10,000 calendars, inline or in variables', async () => {
    expect(await codesOf(inlineAdminScreen(10_000))).toEqual(['QUERY_TOO_COSTLY'])
    const result = await f.adminClient.execute(AdminCalendarsScreen, { first: 10_000 })
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COSTLY'])
    expect(result.errors?.[0]?.message).toMatch(/^Query is too costly: \d+ \(limit \d+\)/)
  })

  it('refuses nested lists that multiply', async () => {
    const yearOfEveryCalendar =
      '{ viewer { subaccount { crmCalendars { edges { node { appointments(from: "2030-01-01T00:00:00Z", ' +
      'to: "2030-12-31T00:00:00Z") { id title participants { user { name } } } } } } } } }'
    expect(await codesOf(yearOfEveryCalendar)).toEqual(['QUERY_TOO_COSTLY'])
    const oneWeek = yearOfEveryCalendar.replace('2030-12-31', '2030-01-08')
    expect(await codesOf(oneWeek)).toEqual([])
    const nodes = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on CrmCalendar { members { workingHours { weekday startMinute endMinute } dateOverrides { date startMinute endMinute } user { name email } } } } }`
    expect(await codesOf(nodes, { ids: Array.from({ length: 1200 }, () => f.calendarId) })).toEqual([
      'QUERY_TOO_COSTLY',
    ])
  })

  it('is not switched off by a bad argument elsewhere in the operation', async () => {
    const badCursor = Buffer.from('GPC:S:x\u0000').toString('base64')
    const query =
      `{ broken: crmCalendar(id: "garbage") { id } viewer { subaccount { page: crmCalendars(after: "${badCursor}") ` +
      '{ edges { cursor } } crmCalendars(first: 10000) { edges { node { members { workingHours { weekday } } } } } } } }'
    expect(await codesOf(query)).toEqual(['QUERY_TOO_COSTLY'])
  })

  it('still refuses every hostile document with its code', async () => {
    for (const { name, query, code } of hostileDocuments) {
      expect(await codesOf(query), name).toContain(code)
    }
  })
})
