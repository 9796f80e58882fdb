// Who may see or act on whose data: a user acts for themselves; an admin for anyone in their subaccount.
import { ForbiddenError } from '../errors.ts'
import type { GraphQLContext } from './context.ts'

async function canActForUser(context: GraphQLContext, userId: string): Promise<boolean> {
  const { viewer, services } = context
  if (viewer.userId === userId) return true
  if (viewer.role !== 'ADMIN') return false
  const membership = await services.prisma.membership.findUnique({
    where: { userId_subaccountId: { userId, subaccountId: viewer.subaccountId } },
    select: { id: true },
  })
  return membership !== null
}

export async function assertCanActForUser(context: GraphQLContext, userId: string): Promise<void> {
  if (!(await canActForUser(context, userId))) {
    throw new ForbiddenError('Only the user themselves or an admin of their subaccount may do this.')
  }
}

/** Only admins manage CRM calendars. */
export function assertAdmin(context: GraphQLContext): void {
  if (context.viewer.role !== 'ADMIN') throw new ForbiddenError('Only admins of the subaccount manage CRM calendars.')
}

/** Only admins manage webhook endpoints. */
export function assertWebhookAdmin(context: GraphQLContext): void {
  if (context.viewer.role !== 'ADMIN') throw new ForbiddenError('Only admins of the subaccount manage webhooks.')
}

/** The signed-in user's id; an API key (the subaccount's service principal) is no user and may not do this. */
export function requireUserId(context: GraphQLContext): string {
  if (context.viewer.userId === null) {
    throw new ForbiddenError('An API key acts for the subaccount, not for a user: use the user’s own token.')
  }
  return context.viewer.userId
}

/** Admin rights over the subaccount: an admin user or the subaccount's API key (service principal). */
export function assertAdminOrService(context: GraphQLContext): void {
  if (context.viewer.role !== 'ADMIN')
    throw new ForbiddenError('Only admins of the subaccount (or its API keys) may do this.')
}

/** A signed-in admin user; API keys may not manage API keys, so a leaked key cannot mint or hide others. */
export function assertHumanAdmin(context: GraphQLContext): string {
  const userId = requireUserId(context)
  if (context.viewer.role !== 'ADMIN') throw new ForbiddenError('Only admins of the subaccount may do this.')
  return userId
}
