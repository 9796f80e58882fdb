// Availability of a CRM calendar, read from the database only (never CalDAV): the same function answers the query and
// every push of the availabilityChanged subscription.
import type { Services } from '../app/services.ts'
import { InvalidInputError, NotFoundError } from '../errors.ts'
import { loadAvailabilityInput, staleAfterMs, type Db, type StaleMember } from './loadAvailabilityInput.ts'
import { computeSlots, type Slot } from './slots.ts'
import { DAY_MS } from '../time/zoneOffsets.ts'
import { zonedFormatter } from './zonedTime.ts'
import { isValidTimeZone } from '../time/zoneOffsets.ts'

const MAX_AVAILABILITY_RANGE_DAYS = 62

export interface AvailabilityRange {
  from: Date
  to: Date
}

export interface RenderedSlot {
  start: Date
  end: Date
  /** ISO 8601 with the offset of the requested zone, e.g. 2026-03-30T09:00:00+02:00. */
  localStart: string
  localEnd: string
  /** User ids of the members who could take this slot (all members for COLLECTIVE, the host for CLASS_BOOKING). */
  freeMemberIds: string[]
  /** CLASS_BOOKING only. */
  seatsLeft: number | null
}

export interface Availability {
  calendarId: string
  subaccountId: string
  timeZone: string
  from: Date
  to: Date
  slots: RenderedSlot[]
  /** Some member's iCloud data may be out of date; their last known busy time still blocks (safe policy). */
  stale: boolean
  staleMembers: StaleMember[]
  /** The oldest last check among the members' blocking iCloud calendars (null: one was never checked). */
  freshAsOf: Date | null
  generatedAt: Date
}

export interface GetAvailabilityOptions {
  subaccountId?: string
  now?: number
  db?: Db
}

/** Throws InvalidInputError unless from < to, the span is at most 62 days and the zone is IANA. */
export function validateAvailabilityRange(range: AvailabilityRange, timeZone: string): void {
  const from = range.from.getTime()
  const to = range.to.getTime()
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw InvalidInputError.at(['from'], 'Invalid dates')
  if (!(from < to)) throw InvalidInputError.at(['to'], '`from` must be before `to`')
  if (to - from > MAX_AVAILABILITY_RANGE_DAYS * DAY_MS) {
    throw InvalidInputError.at(['to'], `The range may span at most ${MAX_AVAILABILITY_RANGE_DAYS} days`)
  }
  if (!isValidTimeZone(timeZone)) throw InvalidInputError.at(['timeZone'], `Unknown time zone ${timeZone}`)
}

/** Availability before rendering: the same for every time zone, so live subscribers of one range share it. */
export interface ComputedAvailability {
  calendarId: string
  subaccountId: string
  from: Date
  to: Date
  slots: Slot[]
  stale: boolean
  staleMembers: StaleMember[]
  /** The oldest last check among the members' blocking iCloud calendars (null: one was never checked). */
  freshAsOf: Date | null
  generatedAt: Date
}

/** Computes the slots of [from, to) in UTC; throws NotFoundError outside the viewer's subaccount. */
export async function computeAvailability(
  services: Pick<Services, 'prisma' | 'config' | 'busyTimeCache'>,
  calendarId: string,
  range: AvailabilityRange,
  options: GetAvailabilityOptions = {},
): Promise<ComputedAvailability> {
  const now = options.now ?? Date.now()
  const input = await loadAvailabilityInput(
    options.db ?? services.prisma,
    calendarId,
    { start: range.from.getTime(), end: range.to.getTime() },
    {
      now,
      subaccountId: options.subaccountId,
      staleAfterMs: staleAfterMs(services.config.sync.intervalSeconds),
      busyCache: services.busyTimeCache,
    },
  )
  if (input === null) throw new NotFoundError('A CRM calendar with this id')
  return {
    calendarId: input.calendar.id,
    subaccountId: input.calendar.subaccountId,
    from: range.from,
    to: range.to,
    slots: computeSlots(input.compute),
    stale: input.staleMembers.length > 0,
    staleMembers: input.staleMembers,
    freshAsOf: input.freshAsOf,
    generatedAt: new Date(now),
  }
}

export function renderSlots(slots: readonly Slot[], timeZone: string): RenderedSlot[] {
  const format = zonedFormatter(timeZone)
  return slots.map((s) => ({
    start: new Date(s.start),
    end: new Date(s.end),
    localStart: format(s.start),
    localEnd: format(s.end),
    freeMemberIds: s.freeMemberIds,
    seatsLeft: s.seatsLeft,
  }))
}

export function renderAvailability(computed: ComputedAvailability, timeZone: string): Availability {
  return { ...computed, timeZone, slots: renderSlots(computed.slots, timeZone) }
}

export async function getAvailability(
  services: Pick<Services, 'prisma' | 'config' | 'busyTimeCache'>,
  calendarId: string,
  range: AvailabilityRange,
  timeZone: string,
  options: GetAvailabilityOptions = {},
): Promise<Availability> {
  validateAvailabilityRange(range, timeZone)
  return renderAvailability(await computeAvailability(services, calendarId, range, options), timeZone)
}

/** Key of a slot for diffs between two pushes: same times, same free members, same seats = same slot. */
function slotKey(slot: Slot | RenderedSlot): string {
  return `${Number(slot.start)}|${Number(slot.end)}|${slot.freeMemberIds.join(',')}|${slot.seatsLeft ?? ''}`
}

/** Slots in `next` and not in `previous` (added), and the other way round (removed). */
export function diffSlots<S extends Slot | RenderedSlot>(
  previous: readonly S[],
  next: readonly S[],
): { added: S[]; removed: S[] } {
  const before = new Set(previous.map(slotKey))
  const after = new Set(next.map(slotKey))
  return {
    added: next.filter((s) => !before.has(slotKey(s))),
    removed: previous.filter((s) => !after.has(slotKey(s))),
  }
}
