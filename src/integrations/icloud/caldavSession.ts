// The one place a CalDAV client for iCloud is made: the server and timeout from config, the login, and the retry
// budget of the caller. Connect, reconnect, refresh, the sync engine and the write-back outbox all come here.
import { CalDavClient, HostThrottle, type CalDavClientOptions, type RequestInfo } from '../../caldav/index.ts'
import type { Services } from '../../app/services.ts'
import type { Integration } from '../../generated/prisma/client.ts'
import { decryptCredential } from './credentials.ts'

/** How long each kind of caller lets the client retry and sleep before the error is its own to handle. */
const RETRY_BUDGETS = {
  /** Connect, reconnect, refresh: the user is waiting. */
  interactive: { maxRetries: 1, maxRetryDelayMs: 5_000 },
  /** One outbox attempt: the outbox backs off and retries the participant itself. */
  writeBack: { maxRetries: 1, maxRetryDelayMs: 5_000 },
  // A tick does not sleep through long throttling: a Retry-After beyond a few seconds ends the run as RATE_LIMITED
  // and the integration comes back after it (nextSyncAt), leaving the worker free for other integrations.
  sync: { maxRetries: 2, maxRetryDelayMs: 5_000, baseRetryDelayMs: 300 },
} satisfies Record<string, Partial<CalDavClientOptions>>

type RetryBudget = keyof typeof RETRY_BUDGETS

/** The decrypted login of an Apple ID; the plain password lives only in memory for a request or a sync. */
export interface ICloudLogin {
  appleId: string
  appSpecificPassword: string
  /** Known calendar home: the client starts there and makes no discovery request. */
  homeUrl?: string
}

// One HostThrottle per services (one per process; tests may run several): every client made here shares its host
// pauses, and the app wiring shares them with the other processes (app.ts). Keyed by the services object rather than
// a field of it, so the sync engine's narrower SyncServices reach it as they are.
const hostThrottles = new WeakMap<object, HostThrottle>()

/** The host pauses of the clients made for these services. */
export function hostThrottleOf(services: Pick<Services, 'config'>): HostThrottle {
  let throttle = hostThrottles.get(services)
  if (!throttle) hostThrottles.set(services, (throttle = new HostThrottle()))
  return throttle
}

export function createICloudClient(
  services: Pick<Services, 'config'>,
  login: ICloudLogin,
  budget: RetryBudget,
  onRequest?: (info: RequestInfo) => void,
): CalDavClient {
  return new CalDavClient({
    serverUrl: services.config.icloudCaldavUrl,
    credentials: { username: login.appleId, password: login.appSpecificPassword },
    timeoutMs: services.config.caldavTimeoutMs,
    connectionsPerHost: services.config.caldavConnectionsPerHost,
    homeUrl: login.homeUrl,
    hostThrottle: hostThrottleOf(services),
    ...RETRY_BUDGETS[budget],
    onRequest,
  })
}

/** The login of a stored integration. Throws CredentialDecryptionError (see decryptCredential). */
export function storedLogin(
  services: Pick<Services, 'cipher'>,
  integration: Pick<Integration, 'appleId' | 'credentialCiphertext' | 'homeUrl'>,
): ICloudLogin {
  return {
    appleId: integration.appleId,
    appSpecificPassword: decryptCredential(services, integration),
    homeUrl: integration.homeUrl,
  }
}
