import ICAL from 'ical.js'
import { ICalParseError } from './errors.ts'

/** Parses a calendar resource into its VCALENDAR components (a resource may, rarely, hold several). */
export function parseCalendars(ics: string): ICAL.Component[] {
  if (typeof ics !== 'string' || ics.trim() === '') throw new ICalParseError('Empty iCalendar data')
  let jcal: unknown
  try {
    jcal = ICAL.parse(ics)
  } catch (err) {
    throw new ICalParseError(`Invalid iCalendar data: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    })
  }
  // ICAL.parse returns one jCal component, or an array of them when the text holds several top-level components.
  const list = (Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal : [jcal]) as unknown[][]
  const calendars = list.filter((c) => Array.isArray(c) && c[0] === 'vcalendar').map((c) => new ICAL.Component(c))
  if (calendars.length === 0) throw new ICalParseError('No VCALENDAR component found')
  return calendars
}
