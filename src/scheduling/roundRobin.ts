export interface RoundRobinCandidate {
  memberId: string
  priority: number // higher = preferred
  recentBookings: number // fewer = preferred among equal priority, to balance load
}

/**
 * The member a round-robin booking goes to: highest priority, then fewest recent bookings, then the smallest id
 * (code-unit order, not locale order, so every process picks the same member). Ids without a matching member are
 * ignored; null when nobody is left.
 */
export function pickRoundRobinMember(
  slotFreeMemberIds: readonly string[],
  members: readonly RoundRobinCandidate[],
): string | null {
  const free = new Set(slotFreeMemberIds)
  let best: RoundRobinCandidate | null = null
  for (const m of members) {
    if (free.has(m.memberId) && (best === null || isPreferred(m, best))) best = m
  }
  return best === null ? null : best.memberId
}

function isPreferred(a: RoundRobinCandidate, b: RoundRobinCandidate): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority
  if (a.recentBookings !== b.recentBookings) return a.recentBookings < b.recentBookings
  return a.memberId < b.memberId
}
