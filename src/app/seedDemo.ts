// Demo data for trying the product by hand. Idempotent: running it twice reuses what exists.
import type { PrismaClient } from '../generated/prisma/client.ts'
import type { CrmCalendarType, Role } from '../generated/prisma/enums.ts'
import { publicBookingPath } from '../publicBooking/publicCalendar.ts'

const DEMO_SUBACCOUNT_ID = 'demo-subaccount'
/** The demo's public booking page: /book/demo-clinic/consultation. */
const DEMO_SUBACCOUNT_SLUG = 'demo-clinic'
const PUBLISHED_CALENDAR = { name: 'Consultation', slug: 'consultation' }
const weekdays = [1, 2, 3, 4, 5]

// Stable ids, as a CRM would send them in its tokens.
const demoUsers: { id: string; email: string; name: string; role: Role; timeZone: string }[] = [
  { id: 'demo-ada', email: 'admin@demo.example', name: 'Ada Admin', role: 'ADMIN', timeZone: 'Europe/Berlin' },
  { id: 'demo-bob', email: 'bob@demo.example', name: 'Bob Builder', role: 'USER', timeZone: 'Europe/Berlin' },
  { id: 'demo-carol', email: 'carol@demo.example', name: 'Carol Chen', role: 'USER', timeZone: 'America/New_York' },
]

const demoCalendars: { name: string; type: CrmCalendarType; members: number[]; seatsPerSlot?: number }[] = [
  { name: 'Consultation', type: 'SERVICE', members: [1] },
  { name: 'Sales call', type: 'ROUND_ROBIN', members: [1, 2] },
  { name: 'Project kickoff', type: 'COLLECTIVE', members: [1, 2] },
  { name: 'Onboarding class', type: 'CLASS_BOOKING', members: [0], seatsPerSlot: 8 },
]

export async function seedDemo(prisma: PrismaClient) {
  const subaccount = await prisma.subaccount.upsert({
    where: { id: DEMO_SUBACCOUNT_ID },
    update: {},
    create: { id: DEMO_SUBACCOUNT_ID, name: 'Demo Clinic', slug: DEMO_SUBACCOUNT_SLUG, timeZone: 'Europe/Berlin' },
  })
  const users: (Awaited<ReturnType<typeof prisma.user.create>> & { role: Role })[] = []
  for (const demoUser of demoUsers) {
    // A demo user seeded before users had stable ids is found by e-mail.
    const user =
      (await prisma.user.findFirst({ where: { email: demoUser.email }, orderBy: { createdAt: 'asc' } })) ??
      (await prisma.user.create({
        data: { id: demoUser.id, email: demoUser.email, name: demoUser.name, timeZone: demoUser.timeZone },
      }))
    await prisma.membership.upsert({
      where: { userId_subaccountId: { userId: user.id, subaccountId: subaccount.id } },
      update: { role: demoUser.role },
      create: { userId: user.id, subaccountId: subaccount.id, role: demoUser.role },
    })
    users.push({ ...user, role: demoUser.role })
  }
  const calendars = []
  for (const demo of demoCalendars) {
    const existing = await prisma.crmCalendar.findFirst({ where: { subaccountId: subaccount.id, name: demo.name } })
    const calendar =
      existing ??
      (await prisma.crmCalendar.create({
        data: {
          subaccountId: subaccount.id,
          name: demo.name,
          type: demo.type,
          timeZone: subaccount.timeZone,
          seatsPerSlot: demo.seatsPerSlot ?? null,
          members: {
            create: demo.members.map((index, position) => {
              const user = users[index]!
              return {
                userId: user.id,
                timeZone: user.timeZone,
                priority: demo.members.length - position,
                workingHours: {
                  create: weekdays.map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 17 * 60 })),
                },
              }
            }),
          },
        },
      }))
    calendars.push(calendar)
  }
  const published = await publishDemoCalendar(prisma, subaccount.id)
  return { subaccount, users, calendars, publicPath: publicBookingPath(subaccount.slug, published.slug!) }
}

/** The widget works out of the box: one calendar is bookable without a token. */
async function publishDemoCalendar(prisma: PrismaClient, subaccountId: string) {
  const calendar = await prisma.crmCalendar.findFirstOrThrow({ where: { subaccountId, name: PUBLISHED_CALENDAR.name } })
  if (calendar.published) return calendar
  return prisma.crmCalendar.update({
    where: { id: calendar.id },
    data: {
      published: true,
      slug: calendar.slug ?? PUBLISHED_CALENDAR.slug,
      description: calendar.description ?? 'A 30-minute first consultation with Bob.',
    },
  })
}
