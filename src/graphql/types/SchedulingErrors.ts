// Scheduling's expected failures as GraphQL error types, and the bridge from domain errors to the common ones.
import { InputValidationError } from '@pothos/plugin-validation'
import {
  AppointmentCancelledError,
  CalendarNotBookableError,
  InvalidSchedulingInputError,
  OutsideBookingWindowError,
  SchedulingNotFoundError,
  SlotUnavailableError,
} from '../../scheduling/errors.ts'
import type { GraphQLContext } from '../context.ts'
import { errorType, ForbiddenError, NotFoundError } from '../errors.ts'

errorType(SlotUnavailableError, 'SlotUnavailable', 'The time is not (or no longer) an open slot: pick another one.')
errorType(
  OutsideBookingWindowError,
  'OutsideBookingWindow',
  'The start is sooner than the minimum scheduling notice or further ahead than the booking window.',
)
errorType(AppointmentCancelledError, 'AppointmentCancelled', 'The appointment was cancelled and cannot change.')
errorType(
  CalendarNotBookableError,
  'CalendarNotBookable',
  'The calendar cannot take bookings (e.g. it has no members).',
)

export { AppointmentCancelledError, CalendarNotBookableError, OutsideBookingWindowError, SlotUnavailableError }

/** Runs domain code for a mutation: not-found and invalid-input errors become the common union members. */
export async function domainCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof SchedulingNotFoundError)
      throw new NotFoundError(error.message.replace(/ was not found\.$/, ''))
    if (error instanceof InvalidSchedulingInputError) {
      throw new InputValidationError({ issues: [{ path: error.fieldPath, message: error.message }] as never })
    }
    throw error
  }
}

/** Only admins manage CRM calendars. */
export function assertAdmin(context: GraphQLContext): void {
  if (context.viewer.role !== 'ADMIN') throw new ForbiddenError('Only admins of the subaccount manage CRM calendars.')
}

/**
 * The Pothos prisma `query` of a mutation result, safe to spread: when the client selects only `__typename` of the
 * success object it is `{ select: {} }`, which Prisma rejects.
 */
export function prismaQuery<Q extends { select?: object; include?: object }>(query: Q): Q | Record<string, never> {
  return query.select !== undefined && Object.keys(query.select).length === 0 ? {} : query
}
