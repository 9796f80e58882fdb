// iCalendar for the sync engine (expansion into busy occurrences) and the write-back outbox (appointment events).
export { ICalParseError } from './errors.ts'
export { expandCalendarResource, type ExpandOptions, type Occurrence } from './expand.ts'
export {
  buildAppointmentEvent,
  updateAppointmentEvent,
  readAppointmentEvent,
  type AppointmentEventInput,
  type AppointmentEventFields,
} from './appointment.ts'
