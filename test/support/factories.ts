// Fixtures for tests. Subaccounts and users have no API of their own (they come from the CRM), so they are made
// directly; everything the API can make is made through the API by the tests themselves.
import { randomBytes } from 'node:crypto'
import type { Services } from '../../src/app/services.ts'
import type { Role } from '../../src/generated/prisma/enums.ts'

const unique = () => randomBytes(4).toString('hex')

export interface TestUser {
  id: string
  email: string
  subaccountId: string
  token: string
}

export async function createSubaccount(services: Services, data: { name?: string; timeZone?: string } = {}) {
  return services.prisma.subaccount.create({
    data: { name: data.name ?? `Subaccount ${unique()}`, timeZone: data.timeZone ?? 'Europe/Berlin' },
  })
}

export async function createUser(
  services: Services,
  subaccountId: string,
  data: { role?: Role; name?: string; email?: string; timeZone?: string } = {},
): Promise<TestUser> {
  const email = data.email ?? `user-${unique()}@example.com`
  const user =
    (await services.prisma.user.findFirst({ where: { email } })) ??
    (await services.prisma.user.create({
      data: { email, name: data.name ?? `User ${unique()}`, timeZone: data.timeZone ?? 'Europe/Berlin' },
    }))
  await services.prisma.membership.create({ data: { userId: user.id, subaccountId, role: data.role ?? 'USER' } })
  const token = await services.tokens.sign({ userId: user.id, subaccountId })
  return { id: user.id, email, subaccountId, token }
}

/** A subaccount with an admin and a regular user. */
export async function createTeam(services: Services, data: { timeZone?: string } = {}) {
  const subaccount = await createSubaccount(services, data)
  const admin = await createUser(services, subaccount.id, { role: 'ADMIN', timeZone: data.timeZone })
  const user = await createUser(services, subaccount.id, { role: 'USER', timeZone: data.timeZone })
  return { subaccount, admin, user }
}
