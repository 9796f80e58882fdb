// Calls with the same key while one is in flight share its result instead of doing the work again. Nothing is kept
// once the work settles, so every call that starts after that sees fresh data: for reads that many requests make at
// the same moment (a client opening many subscriptions at once).
export function singleFlight<V>(run: (key: string) => Promise<V>): (key: string) => Promise<V> {
  const inFlight = new Map<string, Promise<V>>()
  return (key) => {
    let pending = inFlight.get(key)
    if (pending === undefined) {
      pending = run(key).finally(() => inFlight.delete(key))
      inFlight.set(key, pending)
    }
    return pending
  }
}

/** One single-flight function per owner (e.g. per Services, so that apps in one process never share results). */
export function singleFlightPer<O extends object, V>(
  run: (owner: O, key: string) => Promise<V>,
): (owner: O, key: string) => Promise<V> {
  const byOwner = new WeakMap<O, (key: string) => Promise<V>>()
  return (owner, key) => {
    let shared = byOwner.get(owner)
    if (shared === undefined) byOwner.set(owner, (shared = singleFlight((k) => run(owner, k))))
    return shared(key)
  }
}
