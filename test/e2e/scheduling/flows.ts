// Steps many scheduling scenarios share, on top of the documents and fixtures of ./support.ts: a booking that must
// succeed, one day's availability question, and busy time written the way the sync engine writes it.
import type { DateTime } from 'luxon'
import { notifyCalendarChanged } from '../../../src/realtime/notify.ts'
import { at, book, rawId, ZONE, type Fixture } from './support.ts'

/** Books `start` (see book) and fails the test unless it succeeds; the appointment and its database id. */
export async function bookOrThrow(f: Fixture, start: string, extra: Parameters<typeof book>[2] = {}) {
  const result = await book(f, start, extra)
  if (result.__typename !== 'BookAppointmentSuccess') throw new Error(JSON.stringify(result))
  return { appointment: result.appointment, appointmentId: rawId(result.appointment.id) }
}

/** The variables of an availability question (query or subscription) about the local day `day` of f's calendar. */
export function oneDay(f: Fixture, day: DateTime) {
  return { calendarId: f.calendarId, from: at(day, 0), to: at(day.plus({ days: 1 }), 0), timeZone: ZONE }
}

/** iCloud busy time of the first member from `start` to `end`, as a sync run writes it (telling anyone is the caller's part). */
export async function writeICloudBusy(f: Fixture, start: string, end: string, title?: string): Promise<void> {
  await f.t.services.prisma.blockedSlot.create({
    data: {
      userId: f.members[0]!.user.id,
      subaccountId: f.subaccountId,
      start: new Date(start),
      end: new Date(end),
      source: 'ICLOUD',
      ...(title ? { title } : {}),
    },
  })
}

/** One hour of iCloud busy time on `day` from `hour`, announced to live feeds as a sync run announces it. */
export async function blockHour(f: Fixture, day: DateTime, hour: number): Promise<void> {
  await writeICloudBusy(f, at(day, hour), at(day, hour + 1))
  notifyCalendarChanged(f.t.services, rawId(f.calendarId), 'test')
}
