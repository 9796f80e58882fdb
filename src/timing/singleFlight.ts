// Calls with the same key in one turn of the event loop, or while the work for it is in flight, share its result
// instead of doing the work again (as DataLoader batches a tick). Nothing is kept once the work settles, so every call
// after that sees fresh data: for reads that many requests make at the same moment (a client opening many
// subscriptions at once). The work starts at the end of the turn: with an embedded database a read completes without
// ever yielding to I/O, so waiting for the turn is what lets the requests read in the same turn find each other.
export function singleFlight<V>(run: (key: string) => Promise<V>): (key: string) => Promise<V> {
  const inFlight = new Map<string, Promise<V>>()
  return (key) => {
    let pending = inFlight.get(key)
    if (pending === undefined) {
      pending = endOfTurn()
        .then(() => run(key))
        .finally(() => inFlight.delete(key))
      inFlight.set(key, pending)
    }
    return pending
  }
}

const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

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
