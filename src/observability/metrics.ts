// Prometheus metrics of one process (served at /metrics): request latency, live subscriptions, sync runs, CalDAV
// requests, and the cluster-wide backlog read from the database at scrape time. The CalDAV client and the sync
// engine publish on diagnostics channels, so they know nothing about metrics.
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { caldavRequestChannel, type HostThrottle, type RequestInfo } from '../caldav/index.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import type { LiveAvailabilityHub } from '../realtime/liveAvailability.ts'
import { syncFinishedChannel, type SyncFinishedEvent } from '../sync/syncEvents.ts'
import { readBacklog, type Backlog } from './backlog.ts'

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const KNOWN_ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics'])
/** Client-chosen operation names are labels: cap how many distinct ones a process keeps. */
const MAX_OPERATION_NAMES = 200

export interface MetricsSources {
  prisma: PrismaClient
  liveAvailability: LiveAvailabilityHub
  hostThrottle: Pick<HostThrottle, 'pausedHosts'>
}

export class AppMetrics {
  readonly registry = new Registry()
  private readonly operationNames = new Set<string>()
  private backlog: Promise<Backlog> | null = null

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  })
  private readonly graphqlDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Executed GraphQL queries and mutations by type, operation name and whether they had errors.',
    labelNames: ['type', 'operation', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  })
  private readonly activeSubscriptions = new Gauge({
    name: 'graphql_active_subscriptions',
    help: 'Open GraphQL subscriptions by root field.',
    labelNames: ['field'],
    registers: [this.registry],
  })
  private readonly syncRuns = new Counter({
    name: 'sync_runs_total',
    help: 'Sync runs finished by this process, by outcome (rate() gives syncs per second).',
    labelNames: ['outcome'],
    registers: [this.registry],
  })
  private readonly caldavRequests = new Counter({
    name: 'caldav_requests_total',
    help: 'CalDAV requests by host, method and status (0: no answer).',
    labelNames: ['host', 'method', 'status'],
    registers: [this.registry],
  })
  private readonly caldavDuration = new Histogram({
    name: 'caldav_request_duration_seconds',
    help: 'CalDAV request latency by host.',
    labelNames: ['host'],
    buckets: [0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3, 6, 15],
    registers: [this.registry],
  })

  private readonly onCaldavRequest = (message: unknown) => {
    const info = message as RequestInfo
    const host = hostOf(info.url)
    this.caldavRequests.inc({ host, method: info.method, status: String(info.status) })
    this.caldavDuration.observe({ host }, info.durationMs / 1000)
  }
  private readonly onSyncFinished = (message: unknown) => {
    this.syncRuns.inc({ outcome: (message as SyncFinishedEvent).outcome ?? 'UNKNOWN' })
  }

  constructor(private readonly sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry })
    subscribe(caldavRequestChannel.name, this.onCaldavRequest)
    subscribe(syncFinishedChannel.name, this.onSyncFinished)
    this.liveGauges()
    this.hostPauseGauge()
    this.backlogGauges()
  }

  /** Call when a request arrives; the returned function when its response is finished. */
  startHttpRequest(method: string, url: string): (status: number) => void {
    const route = (url.split('?')[0] ?? '').replace(/\/+$/, '') || '/'
    const end = this.httpDuration.startTimer({ method, route: KNOWN_ROUTES.has(route) ? route : 'other' })
    return (status) => end({ status: String(status) })
  }

  observeOperation(type: string, name: string | undefined, seconds: number, failed: boolean): void {
    const operation = this.operationLabel(name)
    this.graphqlDuration.observe({ type, operation, outcome: failed ? 'error' : 'ok' }, seconds)
  }

  subscriptionOpened(field: string): () => void {
    this.activeSubscriptions.inc({ field })
    return () => this.activeSubscriptions.dec({ field })
  }

  async render(): Promise<{ contentType: string; body: string }> {
    this.backlog = null // read once per scrape, shared by the backlog gauges
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }

  close(): void {
    unsubscribe(caldavRequestChannel.name, this.onCaldavRequest)
    unsubscribe(syncFinishedChannel.name, this.onSyncFinished)
  }

  private operationLabel(name: string | undefined): string {
    if (!name) return 'anonymous'
    if (this.operationNames.has(name)) return name
    if (this.operationNames.size >= MAX_OPERATION_NAMES || !/^\w{1,64}$/.test(name)) return 'other'
    this.operationNames.add(name)
    return name
  }

  private liveGauges(): void {
    const live = () => this.sources.liveAvailability.stats()
    new Gauge({
      name: 'live_availability_feeds',
      help: 'Shared availability feeds (distinct calendar and range) with subscribers in this process.',
      registers: [this.registry],
      collect() {
        this.set(live().feeds)
      },
    })
    new Counter({
      name: 'live_availability_computations_total',
      help: 'Availability computations run for live feeds (one per change per feed, not per subscriber).',
      registers: [this.registry],
      collect() {
        this.reset()
        this.inc(live().computations)
      },
    })
  }

  private hostPauseGauge(): void {
    const paused = () => this.sources.hostThrottle.pausedHosts()
    new Gauge({
      name: 'caldav_host_pause_seconds',
      help: 'CalDAV hosts this process holds back (Retry-After, told to it or to another process), by seconds left.',
      labelNames: ['host'],
      registers: [this.registry],
      collect() {
        this.reset()
        for (const { origin, remainingMs } of paused()) this.set({ host: hostOf(origin) }, remainingMs / 1000)
      },
    })
  }

  private backlogGauges(): void {
    const read = (pick: (backlog: Backlog) => number) =>
      async function (this: Gauge) {
        this.set(pick(await readOnce()))
      }
    const readOnce = () => {
      this.backlog ??= readBacklog(this.sources.prisma)
      return this.backlog
    }
    const gauge = (name: string, help: string, pick: (backlog: Backlog) => number) =>
      new Gauge({ name, help, registers: [this.registry], collect: read(pick) })
    gauge('sync_lag_seconds', 'Age of the most overdue integration sync (cluster-wide).', (b) => b.syncLagSeconds)
    gauge('sync_due_integrations', 'Integrations due and not leased (cluster-wide).', (b) => b.syncsDue)
    gauge('writeback_outbox_depth', 'Appointment copies waiting to be written to iCloud.', (b) => b.writeBackPending)
    gauge('writeback_outbox_failed', 'Appointment copies whose write-back failed for good.', (b) => b.writeBackFailed)
    gauge(
      'writeback_outbox_oldest_due_seconds',
      'How long the most overdue pending write-back has been due (cluster-wide).',
      (b) => b.writeBackOldestDueSeconds,
    )
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'invalid'
  }
}
