// Shared documents and helpers for the scheduling end-to-end tests: calendars are set up through the GraphQL API.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay'
import { DateTime } from 'luxon'
import { graphql } from '../../graphql/index.ts'
import type { GraphQLTestClient } from '../../support/graphqlClient.ts'
import type { TestApp } from '../../support/testApp.ts'
import { createTeam, createUser, type TestUser } from '../../support/factories.ts'

export const CreateCrmCalendar = graphql(`
  mutation SchedCreateCrmCalendar($input: CreateCrmCalendarInput!) {
    createCrmCalendar(input: $input) {
      __typename
      ... on CreateCrmCalendarSuccess {
        crmCalendar {
          id
          name
          type
          timeZone
          seatsPerSlot
        }
      }
      ...ErrorFields
    }
  }
`)

export const UpdateCrmCalendar = graphql(`
  mutation SchedUpdateCrmCalendar($input: UpdateCrmCalendarInput!) {
    updateCrmCalendar(input: $input) {
      __typename
      ... on UpdateCrmCalendarSuccess {
        crmCalendar {
          id
          slotDurationMinutes
          maxBookingsPerDayPerMember
        }
      }
      ...ErrorFields
    }
  }
`)

export const AddMember = graphql(`
  mutation SchedAddMember($input: AddCrmCalendarMemberInput!) {
    addCrmCalendarMember(input: $input) {
      __typename
      ... on AddCrmCalendarMemberSuccess {
        member {
          id
          priority
          timeZone
          workingHours {
            ...WorkingHoursFields
          }
        }
      }
      ...ErrorFields
    }
  }
`)

export const SetWorkingHours = graphql(`
  mutation SchedSetWorkingHours($input: SetWorkingHoursInput!) {
    setWorkingHours(input: $input) {
      __typename
      ... on SetWorkingHoursSuccess {
        member {
          id
          workingHours {
            ...WorkingHoursFields
          }
        }
      }
      ...ErrorFields
      ...FieldErrors
    }
  }
`)

export const SetDateOverride = graphql(`
  mutation SchedSetDateOverride($input: SetDateOverrideInput!) {
    setDateOverride(input: $input) {
      __typename
      ... on SetDateOverrideSuccess {
        member {
          id
          dateOverrides {
            date
            startMinute
            endMinute
          }
        }
      }
      ...ErrorFields
    }
  }
`)

export const RemoveDateOverride = graphql(`
  mutation SchedRemoveDateOverride($input: RemoveDateOverrideInput!) {
    removeDateOverride(input: $input) {
      __typename
      ...ErrorFields
    }
  }
`)

export const AvailabilityQuery = graphql(`
  query SchedAvailability($calendarId: ID!, $from: DateTime!, $to: DateTime!, $timeZone: TimeZone!) {
    availability(calendarId: $calendarId, from: $from, to: $to, timeZone: $timeZone) {
      calendarId
      timeZone
      stale
      staleMembers {
        userId
        reason
      }
      freshAsOf
      generatedAt
      slots {
        start
        end
        localStart
        localEnd
        freeMembers
        seatsLeft
      }
    }
  }
`)

export const BookAppointment = graphql(`
  mutation SchedBook($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      __typename
      ... on BookAppointmentSuccess {
        iCloudRecheck
        appointment {
          ...AppointmentFields
          icalUid
          contact {
            id
            name
            email
            phone
          }
        }
      }
      ...ErrorFields
    }
  }
`)

export const RescheduleAppointment = graphql(`
  mutation SchedReschedule($input: RescheduleAppointmentInput!) {
    rescheduleAppointment(input: $input) {
      __typename
      ... on RescheduleAppointmentSuccess {
        iCloudRecheck
        appointment {
          ...AppointmentFields
        }
      }
      ...ErrorFields
    }
  }
`)

export const CancelAppointment = graphql(`
  mutation SchedCancel($input: CancelAppointmentInput!) {
    cancelAppointment(input: $input) {
      __typename
      ... on CancelAppointmentSuccess {
        appointment {
          ...AppointmentFields
        }
      }
      ...ErrorFields
    }
  }
`)

type CalendarType = 'SERVICE' | 'ROUND_ROBIN' | 'COLLECTIVE' | 'CLASS_BOOKING'

export const ZONE = 'Europe/Berlin'
/** Monday to Friday, 09:00–17:00. */
const WEEKDAYS_9_TO_5 = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 }))

/** A Monday (local date in `zone`) at least `minDaysAhead` days from now. */
export function upcomingMonday(zone = ZONE, minDaysAhead = 8): DateTime {
  let day = DateTime.now().setZone(zone).startOf('day').plus({ days: minDaysAhead })
  while (day.weekday !== 1) day = day.plus({ days: 1 })
  return day
}

/** The instant (ISO, UTC) of a local wall time on `day`. */
export function at(day: DateTime, hour: number, minute = 0): string {
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toUTC().toISO()!
}

export const userGid = (id: string) => encodeGlobalID('User', id)
/** The database id behind a global ID. */
export const rawId = (globalId: string) => decodeGlobalID(globalId).id

export interface Fixture {
  t: TestApp
  admin: TestUser
  subaccountId: string
  adminClient: GraphQLTestClient
  calendarId: string
  members: { user: TestUser; memberId: string }[]
}

export interface CalendarOptions {
  type: CalendarType
  members?: number
  priorities?: number[]
  workingHours?: { weekday: number; startMinute: number; endMinute: number }[]
  memberTimeZone?: string
  settings?: Record<string, unknown>
}

/** A team, a calendar of `type` with `members` users (each working `workingHours`), all made through the API. */
export async function setUpCalendar(t: TestApp, options: CalendarOptions): Promise<Fixture> {
  const { subaccount, admin } = await createTeam(t.services, { timeZone: ZONE })
  const adminClient = t.client(admin.token)
  const created = await adminClient.data(CreateCrmCalendar, {
    input: {
      name: `${options.type} calendar`,
      type: options.type,
      timeZone: ZONE,
      slotDurationMinutes: 60,
      slotIntervalMinutes: 30,
      bookingWindowDays: 60,
      ...(options.type === 'CLASS_BOOKING' ? { seatsPerSlot: 3 } : {}),
      ...options.settings,
    },
  })
  if (created.createCrmCalendar.__typename !== 'CreateCrmCalendarSuccess') {
    throw new Error(JSON.stringify(created.createCrmCalendar))
  }
  const calendarId = created.createCrmCalendar.crmCalendar.id
  const members: Fixture['members'] = []
  for (let i = 0; i < (options.members ?? 1); i++) {
    const user = await createUser(t.services, subaccount.id, { name: `Member ${i}`, timeZone: ZONE })
    const added = await adminClient.data(AddMember, {
      input: {
        calendarId,
        userId: userGid(user.id),
        priority: options.priorities?.[i] ?? 0,
        timeZone: options.memberTimeZone ?? ZONE,
        workingHours: options.workingHours ?? WEEKDAYS_9_TO_5,
      },
    })
    if (added.addCrmCalendarMember.__typename !== 'AddCrmCalendarMemberSuccess') {
      throw new Error(JSON.stringify(added.addCrmCalendarMember))
    }
    members.push({ user, memberId: added.addCrmCalendarMember.member.id })
  }
  return { t, admin, subaccountId: subaccount.id, adminClient, calendarId, members }
}

/** Availability of one local day, as the widget would ask for it. */
export async function slotsOn(f: Fixture, day: DateTime, timeZone = ZONE, client = f.adminClient) {
  const data = await client.data(AvailabilityQuery, {
    calendarId: f.calendarId,
    from: at(day, 0),
    to: at(day.plus({ days: 1 }), 0),
    timeZone,
  })
  return data.availability
}

/** Local HH:mm of each slot start in the calendar zone. */
export function localTimes(slots: { start: string }[], zone = ZONE): string[] {
  return slots.map((s) => DateTime.fromISO(s.start).setZone(zone).toFormat('HH:mm'))
}

export async function book(
  f: Fixture,
  start: string,
  extra: { email?: string; idempotencyKey?: string; client?: GraphQLTestClient } = {},
) {
  const client = extra.client ?? f.adminClient
  const data = await client.data(BookAppointment, {
    input: {
      calendarId: f.calendarId,
      start,
      contact: { name: 'Ada Lovelace', email: extra.email ?? 'ada@example.com', phone: '+44 20 7946 0000' },
      ...(extra.idempotencyKey ? { idempotencyKey: extra.idempotencyKey } : {}),
    },
  })
  return data.bookAppointment
}

/** Every slot of `day` between 09:00 and 16:00 every 30 minutes (60-minute slots in a 9–5 day). */
export const FULL_DAY = [
  '09:00',
  '09:30',
  '10:00',
  '10:30',
  '11:00',
  '11:30',
  '12:00',
  '12:30',
  '13:00',
  '13:30',
  '14:00',
  '14:30',
  '15:00',
  '15:30',
  '16:00',
]
