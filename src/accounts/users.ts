// The CRM backend managing its users here (API keys or admins): upsert a user with their membership and profile,
// and remove a user from a subaccount.
import type { Services } from '../app/services.ts'
import type { TokenIdentity } from '../auth/claims.ts'
import { disconnectICloud } from '../integrations/icloud/disconnect.ts'
import { notifyBusyTimeChanged, notifyCalendarChanged } from '../realtime/notify.ts'
import { setWorkingHours, updateCrmCalendarMember } from '../scheduling/calendarAdmin.ts'
import type { WorkingHoursRule } from '../scheduling/workingHours.ts'
import { applyProfileChanges, ensureMember, findMember } from './provisioning.ts'

export interface UpsertUserInput {
  /** The CRM's id of the user (the same as the user id claim of their tokens). */
  userId: string
  email: string
  name: string
  role?: 'ADMIN' | 'USER'
  timeZone?: string
}

/** Creates or updates the user and their membership of the subaccount; re-admits a user removed before. */
export async function upsertUser(services: Services, subaccountId: string, input: UpsertUserInput) {
  const identity: TokenIdentity = { ...input, subaccountId }
  await ensureMember(services, identity)
  await services.prisma.membershipRemoval.deleteMany({ where: { userId: input.userId, subaccountId } })
  const member = await findMember(services, identity)
  if (member) await applyProfileChanges(services, identity, member)
  return services.prisma.user.findUniqueOrThrow({ where: { id: input.userId } })
}

/**
 * Removes the user from the subaccount. Their tokens for it are refused from the next request on (also by
 * just-in-time provisioning, until upsertUser re-admits them). Their iCloud integration in this subaccount is
 * disconnected: the stored app-specific password is erased and every calendar, event and blocked slot read from
 * iCloud is deleted. They leave the subaccount's CRM calendars, and their CRM-made blocked slots there go. Their
 * appointments stay (the CRM decides whether to reassign or cancel them); events already written to their iCloud
 * calendar stay there, as the server can no longer reach it. False when they were not a member.
 */
export async function removeUserFromSubaccount(services: Services, subaccountId: string, userId: string) {
  const { prisma } = services
  const membership = await prisma.membership.findUnique({ where: { userId_subaccountId: { userId, subaccountId } } })
  if (!membership) return false
  // The integration first: if the process stops midway, the user is still a member and a retry finishes the job.
  const integration = await prisma.integration.findUnique({ where: { userId_subaccountId: { userId, subaccountId } } })
  if (integration) await disconnectICloud(services, integration)
  const calendars = await prisma.$transaction(async (tx) => {
    const members = await tx.crmCalendarMember.findMany({
      where: { userId, calendar: { subaccountId } },
      select: { id: true, calendarId: true },
    })
    await tx.crmCalendarMember.deleteMany({ where: { id: { in: members.map((m) => m.id) } } })
    await tx.blockedSlot.deleteMany({ where: { userId, subaccountId, source: 'CRM' } })
    await tx.membership.delete({ where: { id: membership.id } })
    await tx.membershipRemoval.createMany({ data: [{ userId, subaccountId }], skipDuplicates: true })
    return members.map((m) => m.calendarId)
  })
  services.logger.info({ userId, subaccountId }, 'user removed from subaccount')
  for (const calendarId of calendars) notifyCalendarChanged(services, calendarId, 'member removed')
  await notifyBusyTimeChanged(services, [userId], { from: null, to: null }, 'user removed from subaccount')
  return true
}

/**
 * Sets the user's weekly working hours on every CRM calendar of the subaccount they are a member of (or only on
 * `calendarIds`), and optionally the zone those hours are in. The rules are checked before anything changes.
 */
export async function setUserWorkingHours(
  services: Services,
  subaccountId: string,
  input: { userId: string; rules: WorkingHoursRule[]; timeZone?: string; calendarIds?: string[] },
) {
  const { prisma } = services
  const members = await prisma.crmCalendarMember.findMany({
    where: {
      userId: input.userId,
      calendar: { subaccountId, ...(input.calendarIds ? { id: { in: input.calendarIds } } : {}) },
    },
    select: { id: true },
    orderBy: { id: 'asc' },
  })
  const [firstMember, ...others] = members
  if (!firstMember) return []
  // The first call validates rules and zone; the others cannot fail on them.
  for (const member of [firstMember, ...others]) {
    if (input.timeZone)
      await updateCrmCalendarMember(services, subaccountId, { memberId: member.id, timeZone: input.timeZone })
    await setWorkingHours(services, subaccountId, member.id, input.rules)
  }
  return members.map((member) => member.id)
}
