// What an invitee may know about a published calendar. Everything public is built from these shapes, which carry no
// member, event or blocked-slot data by construction.
import type { Services } from '../app/services.ts'
import type { CrmCalendar, Subaccount } from '../generated/prisma/client.ts'
import { PublicCalendarNotFoundError } from './errors.ts'

export interface PublicCalendar {
  subaccountSlug: string
  calendarSlug: string
  name: string
  description: string | null
  subaccountName: string
  durationMinutes: number
  timeZone: string
  bookingWindowDays: number
  minimumNoticeMinutes: number
  seats: number | null
}

export interface PublishedCalendar {
  calendar: CrmCalendar
  subaccount: Subaccount
  public: PublicCalendar
}

type Db = Pick<Services, 'prisma'>

export function toPublicCalendar(calendar: CrmCalendar, subaccount: Subaccount): PublicCalendar {
  return {
    subaccountSlug: subaccount.slug,
    calendarSlug: calendar.slug ?? '',
    name: calendar.name,
    description: calendar.description,
    subaccountName: subaccount.name,
    durationMinutes: calendar.slotDurationMinutes,
    timeZone: calendar.timeZone,
    bookingWindowDays: calendar.bookingWindowDays,
    minimumNoticeMinutes: calendar.minNoticeMinutes,
    seats: calendar.type === 'CLASS_BOOKING' ? calendar.seatsPerSlot : null,
  }
}

/** The published calendar at these slugs, or null when there is none or it is not published (one answer for both). */
export async function findPublishedCalendar(
  services: Db,
  subaccountSlug: string,
  calendarSlug: string,
): Promise<PublishedCalendar | null> {
  const calendar = await services.prisma.crmCalendar.findFirst({
    where: { slug: calendarSlug, published: true, subaccount: { slug: subaccountSlug } },
    include: { subaccount: true },
  })
  if (!calendar) return null
  const { subaccount, ...row } = calendar
  return { calendar: row, subaccount, public: toPublicCalendar(row, subaccount) }
}

export async function requirePublishedCalendar(
  services: Db,
  subaccountSlug: string,
  calendarSlug: string,
): Promise<PublishedCalendar> {
  const found = await findPublishedCalendar(services, subaccountSlug, calendarSlug)
  if (!found) throw new PublicCalendarNotFoundError()
  return found
}

/** The booking page of a published calendar, relative to the server's origin. */
export function publicBookingPath(subaccountSlug: string, calendarSlug: string): string {
  return `/book/${encodeURIComponent(subaccountSlug)}/${encodeURIComponent(calendarSlug)}`
}
