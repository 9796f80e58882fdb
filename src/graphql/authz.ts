// Who may see or act on whose data: a user acts for themselves; an admin for anyone in their subaccount.
import { ForbiddenError } from '../errors.ts'
import type { GraphQLContext } from './context.ts'

export async function canActForUser(context: GraphQLContext, userId: string): Promise<boolean> {
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
