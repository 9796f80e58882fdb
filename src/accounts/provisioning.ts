// Users and memberships from the CRM's tokens. With AUTH_PROVISIONING=jit the first valid token of an unknown user
// or subaccount creates them and the membership in one transaction; INSERT … ON CONFLICT DO NOTHING makes
// concurrent first requests converge on one row each instead of failing. Later tokens update what changed.
import type { Services } from '../app/services.ts'
import type { TokenIdentity } from '../auth/claims.ts'
import type { Role } from '../generated/prisma/enums.ts'
import { changeUserTimeZone } from './timeZone.ts'

export type ProvisioningMode = 'jit' | 'off'

export interface Member {
  role: Role
  user: { email: string; name: string; timeZone: string }
}

export async function findMember(services: Pick<Services, 'prisma'>, identity: TokenIdentity): Promise<Member | null> {
  return services.prisma.membership.findUnique({
    where: { userId_subaccountId: { userId: identity.userId, subaccountId: identity.subaccountId } },
    select: { role: true, user: { select: { email: true, name: true, timeZone: true } } },
  })
}

/** The member's role in the subaccount, provisioning them first if allowed; null when they may not sign in. */
export async function resolveMember(
  services: Services,
  identity: TokenIdentity,
  mode: ProvisioningMode,
): Promise<{ role: Role } | null> {
  let member = await findMember(services, identity)
  if (!member) {
    if (mode === 'off' || !(await provision(services, identity))) return null
    member = await findMember(services, identity)
    if (!member) return null
  }
  await applyProfileChanges(services, identity, member)
  return { role: identity.role ?? member.role }
}

/** Creates what is missing; false when the user was removed by the CRM or is new and the token has no e-mail. */
async function provision(services: Services, identity: TokenIdentity): Promise<boolean> {
  const { userId, subaccountId } = identity
  const removed = await services.prisma.membershipRemoval.findUnique({
    where: { userId_subaccountId: { userId, subaccountId } },
  })
  if (removed) return false
  const created = await ensureMember(services, identity)
  if (created) services.logger.info({ userId, subaccountId }, 'member provisioned from a token')
  else services.logger.warn({ userId, subaccountId }, 'token of an unknown user without an e-mail claim')
  return created
}

/**
 * Creates the subaccount, user and membership where missing, in one transaction; concurrent callers converge (ON
 * CONFLICT DO NOTHING). Existing rows are left as they are. False when the user is new and has no e-mail.
 */
export async function ensureMember(services: Pick<Services, 'prisma'>, identity: TokenIdentity): Promise<boolean> {
  const { userId, subaccountId } = identity
  return services.prisma.$transaction(async (tx) => {
    await tx.subaccount.createMany({ data: [{ id: subaccountId, name: subaccountId }], skipDuplicates: true })
    if (identity.email) {
      const user = { id: userId, email: identity.email, name: identity.name ?? identity.email.split('@')[0]! }
      await tx.user.createMany({ data: [{ ...user, timeZone: identity.timeZone ?? 'UTC' }], skipDuplicates: true })
    } else if (!(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) {
      return false
    }
    await tx.membership.createMany({
      data: [{ userId, subaccountId, role: identity.role ?? 'USER' }],
      skipDuplicates: true,
    })
    return true
  })
}

/** Profile fields the identity carries and the database has differently (the CRM is the source of truth). */
export async function applyProfileChanges(services: Services, identity: TokenIdentity, member: Member): Promise<void> {
  const { prisma } = services
  const user: { email?: string; name?: string } = {}
  if (identity.email && identity.email !== member.user.email) user.email = identity.email
  if (identity.name && identity.name !== member.user.name) user.name = identity.name
  if (Object.keys(user).length > 0) await prisma.user.update({ where: { id: identity.userId }, data: user })
  if (identity.role && identity.role !== member.role) {
    await prisma.membership.update({
      where: { userId_subaccountId: { userId: identity.userId, subaccountId: identity.subaccountId } },
      data: { role: identity.role },
    })
  }
  if (identity.timeZone && identity.timeZone !== member.user.timeZone) {
    await changeUserTimeZone(services, identity.userId, identity.timeZone)
  }
}
