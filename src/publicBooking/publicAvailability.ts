// Open slots of a published calendar as invitees see them: start, end and seats. Who is free (round robin), member
// ids, and why a time is busy never leave this module.
import type { Services } from '../app/services.ts'
import {
  computeAvailability,
  getAvailability,
  renderAvailability,
  type Availability,
  type AvailabilityRange,
  type ComputedAvailability,
} from '../scheduling/availabilityService.ts'
import { requirePublishedCalendar } from './publicCalendar.ts'

export interface PublicSlot {
  start: Date
  end: Date
  localStart: string
  localEnd: string
  seatsLeft: number | null
}

export interface PublicAvailability {
  calendarId: string
  timeZone: string
  from: Date
  to: Date
  slots: PublicSlot[]
  generatedAt: Date
}

type AvailabilityServices = Pick<Services, 'prisma' | 'config' | 'busyTimeCache'>

/** Round robin lists one slot per free member set at a start; invitees see one slot per start. */
function toPublicAvailability(availability: Availability): PublicAvailability {
  const byStart = new Map<number, PublicSlot>()
  for (const slot of availability.slots) {
    const key = slot.start.getTime()
    if (byStart.has(key)) continue
    byStart.set(key, {
      start: slot.start,
      end: slot.end,
      localStart: slot.localStart,
      localEnd: slot.localEnd,
      seatsLeft: slot.seatsLeft,
    })
  }
  return {
    calendarId: availability.calendarId,
    timeZone: availability.timeZone,
    from: availability.from,
    to: availability.to,
    slots: [...byStart.values()],
    generatedAt: availability.generatedAt,
  }
}

/**
 * The availability of the published calendar at these slugs, before rendering (the same for every time zone). Re-
 * resolves the slugs every time, so a calendar unpublished meanwhile answers CALENDAR_NOT_FOUND.
 */
export async function computePublicAvailability(
  services: AvailabilityServices,
  slugs: { subaccountSlug: string; calendarSlug: string },
  range: AvailabilityRange,
): Promise<ComputedAvailability> {
  const { calendar } = await requirePublishedCalendar(services, slugs.subaccountSlug, slugs.calendarSlug)
  return computeAvailability(services, calendar.id, range, { subaccountId: calendar.subaccountId })
}

/** What an invitee in `timeZone` sees of a computed availability. */
export function renderPublicAvailability(computed: ComputedAvailability, timeZone: string): PublicAvailability {
  return toPublicAvailability(renderAvailability(computed, timeZone))
}

/** Re-resolves the slugs every time, so a calendar unpublished meanwhile answers CALENDAR_NOT_FOUND. */
export async function getPublicAvailability(
  services: AvailabilityServices,
  slugs: { subaccountSlug: string; calendarSlug: string },
  range: AvailabilityRange,
  timeZone: string,
): Promise<PublicAvailability> {
  const { calendar } = await requirePublishedCalendar(services, slugs.subaccountSlug, slugs.calendarSlug)
  const availability = await getAvailability(services, calendar.id, range, timeZone, {
    subaccountId: calendar.subaccountId,
  })
  return toPublicAvailability(availability)
}

/** Whether two answers show the invitee different slots. */
export function publicSlotsDiffer(previous: PublicAvailability, next: PublicAvailability): boolean {
  const key = (s: PublicSlot) => `${s.start.getTime()}|${s.end.getTime()}|${s.seatsLeft ?? ''}`
  return previous.slots.map(key).join(',') !== next.slots.map(key).join(',')
}
