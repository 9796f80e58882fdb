// Publishing a CRM calendar for booking without a token, and the slugs of its public address.
import type { Services } from '../app/services.ts'
import type { CrmCalendar, Subaccount } from '../generated/prisma/client.ts'
import { notifyCalendarChanged } from '../realtime/notify.ts'
import { isUniqueViolation } from '../scheduling/booking.ts'
import { NotFoundError } from '../errors.ts'
import { SlugTakenError } from './errors.ts'
import { assertValidSlug, slugify } from './slugs.ts'

type PublishServices = Pick<Services, 'prisma' | 'pubsub'>

export interface PublishCrmCalendarInput {
  published: boolean
  /** Omitted: keep the calendar's slug, or make one from its name when it has none. */
  slug?: string | null
  /** Shown to invitees. Undefined: unchanged; null: cleared. */
  description?: string | null
}

export async function publishCrmCalendar(
  services: PublishServices,
  subaccountId: string,
  calendarId: string,
  input: PublishCrmCalendarInput,
): Promise<CrmCalendar> {
  if (input.slug != null) assertValidSlug(input.slug, 'slug')
  const calendar = await services.prisma.crmCalendar.findFirst({ where: { id: calendarId, subaccountId } })
  if (!calendar) throw new NotFoundError('A CRM calendar with this id')
  const slug = input.slug ?? calendar.slug ?? (await freeCalendarSlug(services, subaccountId, slugify(calendar.name)))
  let updated: CrmCalendar
  try {
    updated = await services.prisma.crmCalendar.update({
      where: { id: calendar.id },
      data: {
        published: input.published,
        slug,
        ...(input.description === undefined ? {} : { description: input.description?.trim() || null }),
      },
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw new SlugTakenError('calendar')
    throw error
  }
  // Public live availability re-checks that the calendar is still published on every change.
  notifyCalendarChanged(services, calendar.id, input.published ? 'calendar published' : 'calendar unpublished')
  return updated
}

/** `base`, or `base-2`, `base-3`, … whichever no other calendar of the subaccount uses. */
async function freeCalendarSlug(services: PublishServices, subaccountId: string, base: string): Promise<string> {
  const taken = await services.prisma.crmCalendar.findMany({
    where: { subaccountId, slug: { startsWith: base } },
    select: { slug: true },
  })
  const used = new Set(taken.map((row) => row.slug))
  if (!used.has(base)) return base
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`
}

export async function updateSubaccountSlug(
  services: PublishServices,
  subaccountId: string,
  slug: string,
): Promise<Subaccount> {
  assertValidSlug(slug, 'slug')
  let updated: Subaccount
  try {
    updated = await services.prisma.subaccount.update({ where: { id: subaccountId }, data: { slug } })
  } catch (error) {
    if (isUniqueViolation(error)) throw new SlugTakenError('subaccount')
    throw error
  }
  // The old addresses stop answering: public live availability re-checks its calendar's slugs on a change.
  const published = await services.prisma.crmCalendar.findMany({
    where: { subaccountId, published: true },
    select: { id: true },
  })
  for (const calendar of published) notifyCalendarChanged(services, calendar.id, 'subaccount slug changed')
  return updated
}
