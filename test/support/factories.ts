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

/**
 * An iCloud integration with one writable Work calendar, as rows only (no CalDAV server behind the URLs), for tests of
 * what the app does with what a sync stored. `data` overrides columns of the integration.
 */
export async function createStoredIntegration(
  services: Services,
  owner: { userId: string; subaccountId: string },
  data: { appleId?: string; credentialCiphertext?: string; credentialKeyId?: string; lastSyncedAt?: Date } = {},
) {
  const integration = await services.prisma.integration.create({
    data: {
      ...owner,
      appleId: `${owner.userId}@icloud.example`,
      credentialCiphertext: 'x',
      credentialKeyId: 'test1',
      principalUrl: 'https://caldav.example/p/',
      homeUrl: 'https://caldav.example/h/',
      ...data,
    },
  })
  const calendar = await services.prisma.calendar.create({
    data: {
      integrationId: integration.id,
      path: '/h/work/',
      url: 'https://caldav.example/h/work/',
      displayName: 'Work',
      kind: 'EVENT_CALENDAR',
      components: ['VEVENT'],
      writable: true,
    },
  })
  return { integration, calendar }
}
