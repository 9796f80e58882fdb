export { startRadicale, type RunningCalDavServer, type RunningRadicale } from './radicale.ts'
export { startXandikos, type RunningXandikos } from './xandikos.ts'
export { createCalendar, putEvent, deleteEvent } from './davClient.ts'
