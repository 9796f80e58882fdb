import { appointmentsChangedSince, encodeChangeCursor } from '../../scheduling/appointmentChanges.ts'
import { assertAdminOrService } from '../authz.ts'
import { builder } from '../builder.ts'
import { AppointmentRef } from './Appointment.ts'

const MAX_PAGE = 500

builder.queryField('appointmentsChangedSince', (t) =>
  t.connection(
    {
      type: AppointmentRef,
      description:
        'Appointments of the subaccount created or changed after `after` (a cursor from an earlier page; none: from ' +
        'the beginning), oldest change first: for a CRM backend reconciling after downtime (API keys and admins). ' +
        'An appointment changed again is listed again. Keep `pageInfo.endCursor` (also set when the page is empty) ' +
        `and call again with it; at most ${MAX_PAGE} per page. Cancellations are status CANCELLED; a participant ` +
        'copy removed in iCloud lists the appointment again (writeBackState REMOVED_IN_ICLOUD).',
      resolve: async (_root, args, context) => {
        assertAdminOrService(context)
        const first = Math.min(Math.max(args.first ?? 100, 1), MAX_PAGE)
        // A malformed cursor is INVALID_INPUT (a GraphQL error with that code, as for availability).
        const page = await appointmentsChangedSince(context.services, context.viewer.subaccountId, args.after, first)
        const rows = await context.services.prisma.appointment.findMany({ where: { id: { in: page.appointmentIds } } })
        const byId = new Map(rows.map((row) => [row.id, row]))
        return {
          edges: page.positions.flatMap((position) => {
            const node = byId.get(position.id)
            return node ? [{ cursor: encodeChangeCursor(position), node }] : []
          }),
          pageInfo: {
            hasNextPage: page.hasMore,
            hasPreviousPage: false,
            startCursor: page.positions[0] ? encodeChangeCursor(page.positions[0]) : null,
            endCursor: page.endCursor,
          },
        }
      },
    },
    { name: 'AppointmentChangeConnection' },
    { name: 'AppointmentChangeEdge' },
  ),
)
