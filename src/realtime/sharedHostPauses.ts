// Host pauses (iCloud's Retry-After, src/caldav/hostThrottle.ts) shared by every process on one Redis. A pause a
// process was told of is stored in one Redis hash (origin → until, the key expiring with its latest pause) and
// published, in one script and only when it extends the stored deadline. Every process applies what it hears, and
// re-reads the hash whenever Redis is up: at start (a process started mid-pause) and after an outage that hid
// publishes. Redis rather than a table: pauses last seconds to minutes and need no history, a burst of 429s must not
// cost database writes, and processes that share pauses already share Redis for pub/sub.
import type { Logger } from '../logger.ts'
import type { ResilientRedis } from './resilientRedis.ts'

export const HOST_PAUSES_KEY = 'icloud-scheduling:caldav-host-pauses'
const HOST_PAUSED_CHANNEL = 'icloud-scheduling:caldav-host-paused'

/** The throttle's two ports (src/caldav's HostThrottle has them), so that src/caldav never imports src/realtime. */
export interface HostPausePorts {
  /** Pauses this process was told of first-hand; returns the unsubscribe. */
  onHostPaused(listener: (origin: string, until: number) => void): () => void
  /** A pause heard from another process (until: epoch ms). */
  applyHostPause(origin: string, until: number): void
}

// KEYS[1]: the hash. ARGV: origin, until (epoch ms), ms until then, channel, message.
const STORE_AND_PUBLISH = `
if tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`

/** Connects a throttle to the other processes; returns the disconnect (before closing Redis). */
export function shareHostPauses(redis: ResilientRedis, throttle: HostPausePorts, logger: Logger): () => void {
  const log = logger.child({ component: 'host-pauses' })
  redis.subscribeClient.on('message', (channel, message) => {
    if (channel !== HOST_PAUSED_CHANNEL) return
    const pause = parsePause(message)
    if (pause) throttle.applyHostPause(pause.origin, pause.until)
    else log.warn({ message: message.slice(0, 200) }, 'unreadable host pause')
  })
  const readStored = () =>
    redis
      .read((client) => client.hgetall(HOST_PAUSES_KEY))
      .then((stored) => {
        for (const [origin, until] of Object.entries(stored)) throttle.applyHostPause(origin, Number(until))
      })
      .catch((error: unknown) => log.debug({ err: error }, 'host pauses not read (redis down)'))
  // Read once subscribed, so that no pause falls between the read and the subscription; again after every outage.
  void redis.subscribeClient.subscribe(HOST_PAUSED_CHANNEL).then(readStored)
  redis.onUp(() => void readStored())
  return throttle.onHostPaused((origin, until) => {
    const message = JSON.stringify({ origin, until })
    // The remaining time is computed when the script is sent: a replay after an outage stores what is left.
    redis.write(
      (client) =>
        client.eval(
          STORE_AND_PUBLISH,
          1,
          HOST_PAUSES_KEY,
          origin,
          until,
          Math.max(1, until - Date.now()),
          HOST_PAUSED_CHANNEL,
          message,
        ),
      until,
    )
  })
}

function parsePause(message: string): { origin: string; until: number } | null {
  try {
    const { origin, until } = JSON.parse(message) as { origin?: unknown; until?: unknown }
    return typeof origin === 'string' && typeof until === 'number' ? { origin, until } : null
  } catch {
    return null
  }
}
