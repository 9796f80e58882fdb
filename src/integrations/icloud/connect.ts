// connectICloud: validate, log in and discover (no transaction open), then store the integration with its calendars
// in one write. The unique constraints on appleId and (userId, subaccountId) decide races between concurrent connects.
import type { Services } from '../../app/services.ts'
import type { Integration } from '../../generated/prisma/client.ts'
import { Prisma } from '../../generated/prisma/client.ts'
import { createICloudClient } from './caldavSession.ts'
import { encryptCredential, normalizeAppleId, normalizeAppSpecificPassword } from './credentials.ts'
import { recordIntegrationStatus } from '../../webhooks/hooks.ts'
import { kickWebhooks } from '../../webhooks/worker.ts'
import { calendarColumns, discoverAccount } from './discovery.ts'
import { AlreadyConnectedError, AppleIdInUseError, InvalidCredentialsError } from './errors.ts'

export interface ConnectICloudInput {
  userId: string
  subaccountId: string
  appleId: string
  appSpecificPassword: string
}

export async function connectICloud(services: Services, input: ConnectICloudInput): Promise<Integration> {
  const appleId = normalizeAppleId(input.appleId)
  const password = normalizeAppSpecificPassword(input.appSpecificPassword)
  // The GraphQL input validation refuses other shapes first; this guards other callers.
  if (!password) throw new InvalidCredentialsError()

  // Cheap early answers, so a taken Apple ID costs no iCloud round trip. Not the guard: the constraints are.
  await assertNotTaken(services, input.userId, input.subaccountId, appleId)

  const account = await discoverAccount(
    createICloudClient(services, { appleId, appSpecificPassword: password }, 'interactive'),
  )
  const now = new Date()
  try {
    const integration = await services.prisma.$transaction(async (tx) => {
      const created = await tx.integration.create({
        data: {
          userId: input.userId,
          subaccountId: input.subaccountId,
          provider: 'ICLOUD',
          appleId,
          ...encryptCredential(services, appleId, password),
          principalUrl: account.principalUrl,
          homeUrl: account.homeUrl,
          status: 'CONNECTED',
          // The sync engine picks up integrations whose nextSyncAt has passed: sync right away.
          nextSyncAt: now,
          calendars: {
            create: account.calendars.map((calendar) => ({ path: calendar.path, ...calendarColumns(calendar, now) })),
          },
        },
      })
      await recordIntegrationStatus(tx, created, null, 'CONNECTED')
      return created
    })
    kickWebhooks(services)
    services.logger.info(
      {
        integrationId: integration.id,
        userId: input.userId,
        subaccountId: input.subaccountId,
        calendars: account.calendars.length,
      },
      'iCloud connected',
    )
    return integration
  } catch (error) {
    throw await uniqueViolationToError(services, error, input.userId, input.subaccountId)
  }
}

async function assertNotTaken(services: Services, userId: string, subaccountId: string, appleId: string) {
  const existing = await services.prisma.integration.findFirst({
    where: { OR: [{ userId, subaccountId }, { appleId }] },
    select: { userId: true, subaccountId: true },
  })
  if (!existing) return
  if (existing.userId === userId && existing.subaccountId === subaccountId) throw new AlreadyConnectedError()
  throw new AppleIdInUseError()
}

/** P2002 on appleId → AppleIdInUseError; on (userId, subaccountId) → AlreadyConnectedError. */
async function uniqueViolationToError(
  services: Services,
  error: unknown,
  userId: string,
  subaccountId: string,
): Promise<unknown> {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return error
  const target = JSON.stringify(error.meta ?? {})
  let result: AppleIdInUseError | AlreadyConnectedError
  if (/appleId|apple_id/i.test(target)) result = new AppleIdInUseError()
  else if (/userId/.test(target)) result = new AlreadyConnectedError()
  else {
    // Drivers differ in how they name the constraint: ask the database which row won.
    const mine = await services.prisma.integration.count({ where: { userId, subaccountId } })
    result = mine > 0 ? new AlreadyConnectedError() : new AppleIdInUseError()
  }
  services.logger.info(
    { userId, subaccountId, outcome: result.code, constraint: error.meta },
    'iCloud connect lost a race',
  )
  return result
}
