// Appointments changed since a cursor, for a CRM backend reconciling after downtime. Order: the PostgreSQL
// transaction that last wrote each appointment (Appointment.changeXid, set by a trigger), then id. A page lists only
// writes of transactions older than every transaction still running (pg_snapshot_xmin), so a long transaction that
// commits after a cursor was handed out cannot end up behind it: nothing is skipped, at the price of a page waiting
// for the oldest running transaction. A changed appointment is listed again at its new position.
import type { Services } from '../app/services.ts'
import { InvalidInputError } from '../errors.ts'

export interface ChangePosition {
  xid: bigint
  id: string
}

export interface AppointmentChangesPage {
  appointmentIds: string[]
  /** Positions of the listed appointments, in order. */
  positions: ChangePosition[]
  /** Where the next call starts: the last position listed, or the given one when nothing is new. */
  endCursor: string
  hasMore: boolean
}

export function encodeChangeCursor(position: ChangePosition): string {
  return Buffer.from(`${position.xid}:${position.id}`, 'utf8').toString('base64url')
}

function decodeChangeCursor(cursor: string | null | undefined): ChangePosition {
  if (!cursor) return { xid: -1n, id: '' }
  const match = /^(\d{1,20}):(.{1,128})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match) throw InvalidInputError.at(['cursor'], 'Not a cursor returned by appointmentsChangedSince.')
  return { xid: BigInt(match[1]!), id: match[2]! }
}

export async function appointmentsChangedSince(
  services: Pick<Services, 'prisma'>,
  subaccountId: string,
  cursor: string | null | undefined,
  first: number,
): Promise<AppointmentChangesPage> {
  const after = decodeChangeCursor(cursor)
  const rows = await services.prisma.$queryRaw<{ id: string; xid: string }[]>`
    SELECT "id", "changeXid"::text AS "xid" FROM "Appointment"
    WHERE "subaccountId" = ${subaccountId}
      AND ("changeXid", "id") > (${after.xid}::bigint, ${after.id})
      AND "changeXid" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    ORDER BY "changeXid", "id"
    LIMIT ${first + 1}`
  const page = rows.slice(0, first)
  const positions = page.map((row) => ({ xid: BigInt(row.xid), id: row.id }))
  const last = positions.at(-1)
  return {
    appointmentIds: page.map((row) => row.id),
    positions,
    endCursor: last ? encodeChangeCursor(last) : (cursor ?? encodeChangeCursor(after)),
    hasMore: rows.length > first,
  }
}
