// /metrics in Prometheus text format: request latency by operation, open subscriptions, sync runs by outcome, CalDAV
// requests by host and status, paused hosts, sync lag and the write-back outbox, all read by scraping the real server.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostThrottleOf } from '../../src/integrations/icloud/caldavSession.ts'
import { graphql } from '../graphql/index.ts'
import { createTeam } from '../support/factories.ts'
import {
  createIntegrationFixture,
  eventIcs,
  stamp,
  startRadicaleServer,
  type SyncServer,
} from '../support/integrationFixtures.ts'
import { startTestApp, type TestApp } from '../support/testApp.ts'
import { at, setUpCalendar, upcomingMonday, ZONE } from './scheduling/support.ts'

const MetricsViewer = graphql(`
  query MetricsViewer {
    viewer {
      user {
        id
      }
    }
  }
`)

const MetricsSyncNow = graphql(`
  mutation MetricsSyncNow($input: SyncNowInput!) {
    syncNow(input: $input) {
      __typename
    }
  }
`)

const MetricsAvailability = graphql(`
  subscription MetricsAvailability($calendarId: ID!, $from: DateTime!, $to: DateTime!, $timeZone: TimeZone!) {
    availabilityChanged(calendarId: $calendarId, from: $from, to: $to, timeZone: $timeZone) {
      stale
    }
  }
`)

let server: SyncServer
let t: TestApp
beforeAll(async () => {
  server = await startRadicaleServer()
  t = await startTestApp({ ICLOUD_CALDAV_URL: server.serverUrl })
})
afterAll(async () => {
  await t?.close()
  await server?.stop()
})

async function scrape(): Promise<string> {
  const response = await fetch(`${t.url}/metrics`)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
  return response.text()
}

/** The value of one sample line, e.g. sample(text, 'sync_runs_total', { outcome: 'SUCCESS' }). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3])
  }
  return null
}

async function waitForSample(name: string, labels: Record<string, string>, expected: number): Promise<void> {
  const deadline = Date.now() + 10_000
  while (sample(await scrape(), name, labels) !== expected) {
    if (Date.now() > deadline) throw new Error(`${name} ${JSON.stringify(labels)} never became ${expected}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('/metrics', () => {
  it('counts GraphQL operations by name and HTTP requests by route', async () => {
    const { user } = await createTeam(t.services)
    await t.client(user.token).data(MetricsViewer)
    await t.client(user.token).data(MetricsViewer)
    const text = await scrape()
    expect(
      sample(text, 'graphql_operation_duration_seconds_count', { operation: 'MetricsViewer', type: 'query' }),
    ).toBe(2)
    expect(sample(text, 'http_request_duration_seconds_count', { route: '/graphql', status: '200' })).toBeGreaterThan(0)
    expect(text).toContain('process_cpu_seconds_total')
  })

  it('shows the CalDAV hosts held back by a Retry-After, with the seconds left', async () => {
    hostThrottleOf(t.services).applyHostPause('https://p42-caldav.icloud.com', Date.now() + 30_000)
    const left = sample(await scrape(), 'caldav_host_pause_seconds', { host: 'p42-caldav.icloud.com' })
    expect(left).toBeGreaterThan(25)
    expect(left).toBeLessThanOrEqual(30)
    hostThrottleOf(t.services).clear()
    expect(sample(await scrape(), 'caldav_host_pause_seconds', { host: 'p42-caldav.icloud.com' })).toBeNull()
  })

  it('shows open subscriptions and their shared feeds while they are open', async () => {
    const f = await setUpCalendar(t, { type: 'SERVICE' })
    const monday = upcomingMonday()
    const vars = { calendarId: f.calendarId, from: at(monday, 0), to: at(monday.plus({ days: 1 }), 0) }
    const subscriptions = t.client(f.admin.token).subscriptions()
    const lives = [ZONE, 'UTC'].map((timeZone) => subscriptions.subscribe(MetricsAvailability, { ...vars, timeZone }))
    await Promise.all(lives.map((live) => live.next()))
    const text = await scrape()
    expect(sample(text, 'graphql_active_subscriptions', { field: 'availabilityChanged' })).toBe(2)
    expect(sample(text, 'live_availability_feeds')).toBe(1)
    await subscriptions.close()
    await waitForSample('graphql_active_subscriptions', { field: 'availabilityChanged' }, 0)
  })

  it('counts sync runs by outcome and CalDAV requests by host and status; reports sync lag and the outbox', async () => {
    const { user } = await createTeam(t.services)
    const calendar = await server.makeCalendar('metrics', 'Metrics')
    await server.put(calendar, 'a.ics', eventIcs({ uid: 'a', start: stamp(1, 9), end: stamp(1, 10), summary: 'x' }))
    const fx = await createIntegrationFixture(t.services, user, server, { conflicts: [calendar] })
    const host = new URL(server.serverUrl).host
    const before = await scrape()
    const requestsBefore = sample(before, 'caldav_requests_total', { host, method: 'REPORT', status: '207' }) ?? 0

    const synced = await t.client(user.token).data(MetricsSyncNow, {
      input: { integrationId: encodeGlobalID('Integration', fx.integrationId), waitForCompletion: true },
    })
    expect(synced.syncNow.__typename).toBe('SyncNowSuccess')
    const after = await scrape()
    expect(sample(after, 'sync_runs_total', { outcome: 'SUCCESS' })).toBe(
      (sample(before, 'sync_runs_total', { outcome: 'SUCCESS' }) ?? 0) + 1,
    )
    expect(sample(after, 'caldav_requests_total', { host, method: 'REPORT', status: '207' })).toBeGreaterThan(
      requestsBefore,
    )

    // An integration due 10 minutes ago is the most overdue one.
    await t.services.prisma.integration.update({
      where: { id: fx.integrationId },
      data: { nextSyncAt: new Date(Date.now() - 600_000) },
    })
    const lagged = await scrape()
    expect(sample(lagged, 'sync_lag_seconds')).toBeGreaterThanOrEqual(600)
    expect(sample(lagged, 'sync_due_integrations')).toBeGreaterThanOrEqual(1)
    expect(sample(lagged, 'writeback_outbox_depth')).not.toBeNull()
  })
})
