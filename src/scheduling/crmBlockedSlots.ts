// Blocked slots made in the CRM. They block availability like iCloud ones but are never written to iCloud, and only
// CRM-made slots can be deleted here (iCloud ones change only in iCloud).
import type { Services } from '../app/services.ts'
import { NotFoundError } from '../errors.ts'
import type { BlockedSlot } from '../generated/prisma/client.ts'
import type { BusyStatus } from '../generated/prisma/enums.ts'
import { notifyBusyTimeChanged } from '../realtime/notify.ts'

type BlockedSlotServices = Pick<Services, 'prisma' | 'pubsub'>

export interface NewCrmBlockedSlot {
  subaccountId: string
  userId: string
  start: Date
  end: Date
  title: string | null
  availability: BusyStatus
}

export async function createCrmBlockedSlot(services: BlockedSlotServices, input: NewCrmBlockedSlot) {
  const slot = await services.prisma.blockedSlot.create({ data: { ...input, source: 'CRM' } })
  await notifyBusyTimeChanged(services, [slot.userId], { from: slot.start, to: slot.end }, 'blocked slot created')
  return slot
}

/** The CRM-made slot `id` of the subaccount; NotFoundError for iCloud slots and other subaccounts' slots. */
export async function findCrmBlockedSlot(services: BlockedSlotServices, subaccountId: string, id: string) {
  const slot = await services.prisma.blockedSlot.findFirst({ where: { id, subaccountId, source: 'CRM' } })
  if (!slot) throw new NotFoundError('A CRM blocked slot with this id')
  return slot
}

export async function deleteCrmBlockedSlot(services: BlockedSlotServices, slot: BlockedSlot): Promise<void> {
  await services.prisma.blockedSlot.delete({ where: { id: slot.id } })
  await notifyBusyTimeChanged(services, [slot.userId], { from: slot.start, to: slot.end }, 'blocked slot deleted')
}
