// Rate limits of public fields. They apply on the public path only (context.publicClient is set there); a staff
// token on /graphql is not rate-limited by them.
import type { QuotaKind } from '../publicBooking/rateLimits.ts'
import type { GraphQLContext } from './context.ts'

/** Counts one call against the caller's address and, when given, the calendar it targets. */
export async function consumePublicQuota(
  context: GraphQLContext,
  quotas: { calendar?: { subaccountSlug: string; calendarSlug: string }; booking?: boolean },
): Promise<void> {
  const { publicClient, services } = context
  if (!publicClient) return
  const consume = (kind: QuotaKind, key: string) => services.publicLimits.consume(kind, key)
  if (quotas.booking) await consume('booking', publicClient.ip)
  if (quotas.calendar) await consume('calendar', `${quotas.calendar.subaccountSlug}/${quotas.calendar.calendarSlug}`)
}
