// Managing CRM calendars, their members, working hours and date overrides. Every change that can move availability
// publishes availabilityChanged for the calendar it touches.
import type { Services } from '../app/services.ts'
import type { CrmCalendar, CrmCalendarMember } from '../generated/prisma/client.ts'
import { notifyCalendarChanged } from '../realtime/notify.ts'
import { InvalidInputError, NotFoundError } from '../errors.ts'
import type { CrmCalendarType } from './slots.ts'
import type { MinuteSpan, WorkingHoursRule } from './workingHours.ts'
import { dayKeyToNaive } from '../time/zoneOffsets.ts'
import { isValidTimeZone } from '../time/zoneOffsets.ts'

type AdminServices = Pick<Services, 'prisma' | 'pubsub'>

export interface CrmCalendarSettingsInput {
  name?: string
  timeZone?: string
  slotDurationMinutes?: number
  slotIntervalMinutes?: number
  bufferBeforeMinutes?: number
  bufferAfterMinutes?: number
  minNoticeMinutes?: number
  bookingWindowDays?: number
  maxBookingsPerDayPerMember?: number | null
  seatsPerSlot?: number | null
}

export interface CreateCrmCalendarInput extends CrmCalendarSettingsInput {
  name: string
  type: CrmCalendarType
}

const LIMITS = {
  slotDurationMinutes: [1, 1440],
  slotIntervalMinutes: [1, 1440],
  bufferBeforeMinutes: [0, 1440],
  bufferAfterMinutes: [0, 1440],
  minNoticeMinutes: [0, 525_600],
  bookingWindowDays: [1, 730],
  maxBookingsPerDayPerMember: [1, 1000],
  seatsPerSlot: [1, 100_000],
} as const

export async function createCrmCalendar(
  services: AdminServices,
  subaccountId: string,
  input: CreateCrmCalendarInput,
): Promise<CrmCalendar> {
  const subaccount = await services.prisma.subaccount.findUniqueOrThrow({ where: { id: subaccountId } })
  const settings = { ...input, timeZone: input.timeZone ?? subaccount.timeZone }
  validateSettings(input.type, settings)
  return services.prisma.crmCalendar.create({
    data: {
      ...pickDefined(settings),
      subaccountId,
      name: input.name.trim(),
      type: input.type,
      timeZone: settings.timeZone,
    },
  })
}

export async function updateCrmCalendar(
  services: AdminServices,
  subaccountId: string,
  calendarId: string,
  patch: CrmCalendarSettingsInput,
): Promise<CrmCalendar> {
  const current = await findCalendar(services, subaccountId, calendarId)
  const merged = { ...current, ...pickDefined(patch) }
  validateSettings(current.type, merged)
  const updated = await services.prisma.crmCalendar.update({
    where: { id: current.id },
    data: { ...pickDefined(patch), ...(patch.name !== undefined ? { name: patch.name.trim() } : {}) },
  })
  notifyCalendarChanged(services, current.id, 'calendar settings changed')
  return updated
}

export interface AddMemberInput {
  calendarId: string
  userId: string
  priority?: number
  /** Defaults to the user's own time zone. */
  timeZone?: string
  workingHours?: WorkingHoursRule[]
}

export async function addCrmCalendarMember(
  services: AdminServices,
  subaccountId: string,
  input: AddMemberInput,
): Promise<CrmCalendarMember> {
  const calendar = await findCalendar(services, subaccountId, input.calendarId)
  const membership = await services.prisma.membership.findUnique({
    where: { userId_subaccountId: { userId: input.userId, subaccountId } },
    include: { user: { select: { timeZone: true } } },
  })
  if (!membership) throw new NotFoundError('A user of this subaccount with this id')
  const timeZone = input.timeZone ?? membership.user.timeZone
  if (!isValidTimeZone(timeZone)) throw InvalidInputError.at(['timeZone'], `Unknown time zone ${timeZone}`)
  const rules = input.workingHours ?? []
  validateRules(rules)
  const existing = await services.prisma.crmCalendarMember.findUnique({
    where: { calendarId_userId: { calendarId: calendar.id, userId: input.userId } },
  })
  if (existing) throw InvalidInputError.at(['userId'], 'This user is already a member of the calendar.')
  const member = await services.prisma.crmCalendarMember.create({
    data: {
      calendarId: calendar.id,
      userId: input.userId,
      priority: input.priority ?? 0,
      timeZone,
      workingHours: {
        create: rules.map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
      },
    },
  })
  notifyCalendarChanged(services, calendar.id, 'member added')
  return member
}

export interface UpdateMemberInput {
  memberId: string
  priority?: number
  timeZone?: string
}

export async function updateCrmCalendarMember(
  services: AdminServices,
  subaccountId: string,
  input: UpdateMemberInput,
): Promise<CrmCalendarMember> {
  const member = await findMember(services, subaccountId, input.memberId)
  if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone)) {
    throw InvalidInputError.at(['timeZone'], `Unknown time zone ${input.timeZone}`)
  }
  const updated = await services.prisma.crmCalendarMember.update({
    where: { id: member.id },
    data: pickDefined({ priority: input.priority, timeZone: input.timeZone }),
  })
  notifyCalendarChanged(services, member.calendarId, 'member changed')
  return updated
}

export async function removeCrmCalendarMember(
  services: AdminServices,
  subaccountId: string,
  memberId: string,
): Promise<CrmCalendarMember> {
  return changeMember(services, subaccountId, memberId, 'member removed', (member) =>
    services.prisma.crmCalendarMember.delete({ where: { id: member.id } }),
  )
}

/** Replaces the member's weekly rules. */
export async function setWorkingHours(
  services: AdminServices,
  subaccountId: string,
  memberId: string,
  rules: WorkingHoursRule[],
): Promise<CrmCalendarMember> {
  return changeMember(services, subaccountId, memberId, 'working hours changed', async (member) => {
    validateRules(rules)
    await services.prisma.$transaction([
      services.prisma.workingHoursRule.deleteMany({ where: { memberId: member.id } }),
      services.prisma.workingHoursRule.createMany({
        data: rules.map(({ weekday, startMinute, endMinute }) => ({
          memberId: member.id,
          weekday,
          startMinute,
          endMinute,
        })),
      }),
    ])
  })
}

/** Replaces the hours of one local date: `spans` empty means closed that day. */
export async function setDateOverride(
  services: AdminServices,
  subaccountId: string,
  memberId: string,
  date: string,
  spans: MinuteSpan[],
): Promise<CrmCalendarMember> {
  return changeMember(services, subaccountId, memberId, 'date override set', async (member) => {
    try {
      dayKeyToNaive(date)
    } catch {
      throw InvalidInputError.at(['date'], `Not a YYYY-MM-DD calendar date: ${date}`)
    }
    spans.forEach((span, i) => validateSpan(span, ['intervals', String(i)]))
    const rows = spans.length === 0 ? [{ startMinute: null, endMinute: null }] : spans
    await services.prisma.$transaction([
      services.prisma.dateOverride.deleteMany({ where: { memberId: member.id, date } }),
      services.prisma.dateOverride.createMany({
        data: rows.map((r) => ({ memberId: member.id, date, startMinute: r.startMinute, endMinute: r.endMinute })),
      }),
    ])
  })
}

export async function removeDateOverride(
  services: AdminServices,
  subaccountId: string,
  memberId: string,
  date: string,
): Promise<CrmCalendarMember> {
  return changeMember(services, subaccountId, memberId, 'date override removed', (member) =>
    services.prisma.dateOverride.deleteMany({ where: { memberId: member.id, date } }),
  )
}

// --- internals ---

async function findCalendar(services: AdminServices, subaccountId: string, calendarId: string): Promise<CrmCalendar> {
  const calendar = await services.prisma.crmCalendar.findFirst({ where: { id: calendarId, subaccountId } })
  if (!calendar) throw new NotFoundError('A CRM calendar with this id')
  return calendar
}

async function findMember(services: AdminServices, subaccountId: string, memberId: string): Promise<CrmCalendarMember> {
  const member = await services.prisma.crmCalendarMember.findFirst({
    where: { id: memberId, calendar: { subaccountId } },
  })
  if (!member) throw new NotFoundError('A CRM calendar member with this id')
  return member
}

/** A change to one member (found in the subaccount first); the calendar's availability subscribers are told after. */
async function changeMember(
  services: AdminServices,
  subaccountId: string,
  memberId: string,
  reason: string,
  change: (member: CrmCalendarMember) => Promise<unknown>,
): Promise<CrmCalendarMember> {
  const member = await findMember(services, subaccountId, memberId)
  await change(member)
  notifyCalendarChanged(services, member.calendarId, reason)
  return member
}

function validateSettings(type: CrmCalendarType, s: CrmCalendarSettingsInput): void {
  if (s.name !== undefined && s.name.trim().length === 0) throw InvalidInputError.at(['name'], 'Name is required')
  if (s.timeZone !== undefined && !isValidTimeZone(s.timeZone)) {
    throw InvalidInputError.at(['timeZone'], `Unknown time zone ${s.timeZone}`)
  }
  for (const [field, [lo, hi]] of Object.entries(LIMITS)) {
    const value = s[field as keyof typeof LIMITS]
    if (value === undefined || value === null) continue
    if (!(Number.isInteger(value) && value >= lo && value <= hi)) {
      throw InvalidInputError.at([field], `${field} must be an integer from ${lo} to ${hi}`)
    }
  }
  if (type === 'CLASS_BOOKING' && (s.seatsPerSlot === undefined || s.seatsPerSlot === null)) {
    throw InvalidInputError.at(['seatsPerSlot'], 'Class booking calendars need seatsPerSlot')
  }
  if (type !== 'CLASS_BOOKING' && s.seatsPerSlot !== undefined && s.seatsPerSlot !== null) {
    throw InvalidInputError.at(['seatsPerSlot'], 'Only class booking calendars have seats')
  }
}

function validateRules(rules: WorkingHoursRule[]): void {
  rules.forEach((rule, i) => {
    if (!(Number.isInteger(rule.weekday) && rule.weekday >= 1 && rule.weekday <= 7)) {
      throw InvalidInputError.at(['rules', String(i), 'weekday'], 'weekday must be 1 (Monday) to 7 (Sunday)')
    }
    validateSpan(rule, ['rules', String(i)])
  })
}

function validateSpan(span: MinuteSpan, path: string[]): void {
  const { startMinute: s, endMinute: e } = span
  if (!(Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e <= 1440 && s < e)) {
    throw InvalidInputError.at(path, 'Spans need 0 <= startMinute < endMinute <= 1440')
  }
}

function pickDefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
