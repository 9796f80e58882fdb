// The confirmation's add-to-calendar options: an .ics file (RFC 5545) and Google / Outlook "new event" links. The
// CRM sends its own e-mails from its webhooks; these let the invitee put the booking in their calendar right away.

export interface CalendarEvent {
  title: string
  description: string
  start: string
  end: string
  /** Stable per booking, so a second download updates the same event. */
  uid: string
}

const icsStamp = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

/** RFC 5545 §3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values. */
const icsText = (text: string) => text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n')

/** RFC 5545 §3.1: lines longer than 75 octets are folded (approximated by characters here). */
const fold = (line: string) => line.match(/.{1,73}/g)?.join('\r\n ') ?? line

function icsFile(event: CalendarEvent): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//icloud-scheduling-api//booking widget//EN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${icsStamp(new Date().toISOString())}`,
    `DTSTART:${icsStamp(event.start)}`,
    `DTEND:${icsStamp(event.end)}`,
    `SUMMARY:${icsText(event.title)}`,
    `DESCRIPTION:${icsText(event.description)}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ]
    .map(fold)
    .join('\r\n')
}

export const icsDataUrl = (event: CalendarEvent) =>
  `data:text/calendar;charset=utf-8,${encodeURIComponent(icsFile(event))}`

export function googleCalendarUrl(event: CalendarEvent): string {
  const url = new URL('https://calendar.google.com/calendar/render')
  url.searchParams.set('action', 'TEMPLATE')
  url.searchParams.set('text', event.title)
  url.searchParams.set('dates', `${icsStamp(event.start)}/${icsStamp(event.end)}`)
  url.searchParams.set('details', event.description)
  return url.href
}

export function outlookCalendarUrl(event: CalendarEvent): string {
  const url = new URL('https://outlook.live.com/calendar/0/deeplink/compose')
  url.searchParams.set('path', '/calendar/action/compose')
  url.searchParams.set('rru', 'addevent')
  url.searchParams.set('subject', event.title)
  url.searchParams.set('startdt', new Date(event.start).toISOString())
  url.searchParams.set('enddt', new Date(event.end).toISOString())
  url.searchParams.set('body', event.description)
  return url.href
}
