export { startRadicale, type RunningCalDavServer, type RunningRadicale, type RadicaleOptions } from './radicale.ts'
export { startXandikos, type RunningXandikos } from './xandikos.ts'
export {
  createCalendar,
  putEvent,
  deleteEvent,
  fetchEtag,
  type BasicAuth,
  type CreateCalendarOptions,
} from './davClient.ts'
