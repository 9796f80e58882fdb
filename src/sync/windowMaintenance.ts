// Moves the sliding window: re-expands every stored object of an integration from its raw iCalendar (no CalDAV
// request), so recurring series gain the occurrences entering the window and lose those leaving it. The window edges
// sit on UTC midnight (window.ts), so this runs about once a day per integration. Each batch is one transaction
// (an object's slots are replaced wholesale); Integration.windowStart/End advance only after the last batch, so a
// crash midway makes the next run redo it — idempotently.
import type { PrismaClient } from '../generated/prisma/client.ts'
import {
  ChangedRange,
  findCrmAppointments,
  prepareObject,
  replaceSlots,
  slotRows,
  type SlotRow,
  type CalendarTarget,
  type ExpandContext,
  type SlotOwner,
} from './objectSlots.ts'
import type { SyncWindow } from './window.ts'

const BATCH = 500

export interface ReexpandResult {
  objects: number
  slotsWritten: number
  slotsChanged: boolean
  range: ChangedRange
}

export async function reexpandIntegration(
  prisma: PrismaClient,
  integrationId: string,
  calendars: CalendarTarget[],
  owner: SlotOwner,
  expand: ExpandContext,
  window: SyncWindow,
  options: { transactionTimeoutMs: number; assertLease?: () => void },
): Promise<ReexpandResult> {
  const range = new ChangedRange()
  const byId = new Map(calendars.map((c) => [c.id, c]))
  let objects = 0
  let slotsWritten = 0
  let slotsChanged = false
  let cursor: string | undefined
  for (;;) {
    options.assertLease?.()
    const rows = await prisma.calendarObject.findMany({
      where: { calendarId: { in: [...byId.keys()] } },
      select: { id: true, calendarId: true, href: true, etag: true, data: true },
      orderBy: { id: 'asc' },
      take: BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    })
    if (rows.length === 0) break
    cursor = rows[rows.length - 1]!.id
    const prepared = rows.map((row) => ({ row, object: prepareObject(row, expand) }))
    const crm = await findCrmAppointments(
      prisma,
      owner.userId,
      prepared.flatMap((p) => p.object.uids),
    )
    const slots: SlotRow[] = []
    for (const { row, object } of prepared)
      slots.push(...slotRows(row.id, object, byId.get(row.calendarId)!, owner, crm))
    const result = await prisma.$transaction(
      (tx) =>
        replaceSlots(
          tx,
          rows.map((row) => row.id),
          slots,
          range,
        ),
      { timeout: options.transactionTimeoutMs, maxWait: options.transactionTimeoutMs },
    )
    objects += rows.length
    slotsWritten += result.written
    if (result.removed > 0 || result.written > 0) slotsChanged = true
  }
  await prisma.integration.update({
    where: { id: integrationId },
    data: { windowStart: window.start, windowEnd: window.end, windowTimeZone: expand.defaultTimeZone },
  })
  return { objects, slotsWritten, slotsChanged, range }
}
