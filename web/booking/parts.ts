// Pieces the booking and manage pages share: the calendar summary, the time-zone chooser, the live indicator and the
// add-to-calendar block.
import { h, render } from '../shared/dom.ts'
import type { PublicBookingFieldsFragment, PublicCalendarFieldsFragment } from '../generated/graphql.ts'
import { googleCalendarUrl, icsDataUrl, outlookCalendarUrl, type CalendarEvent } from './addToCalendar.ts'
import { onLiveConnection } from './api.ts'
import { dateTimeLabel, timeLabel, timeZones } from './zonedTime.ts'

export function calendarSummary(calendar: PublicCalendarFieldsFragment, extra: HTMLElement[] = []) {
  return h(
    'aside',
    { class: 'summary' },
    h('p', { class: 'business' }, calendar.subaccountName),
    h('h1', {}, calendar.name),
    h('p', { class: 'duration' }, `${calendar.durationMinutes} min`),
    calendar.description ? h('p', { class: 'description' }, calendar.description) : null,
    extra,
  )
}

export function timeZoneSelect(current: string, onChange: (timeZone: string) => void) {
  const select = h(
    'select',
    { id: 'time-zone', name: 'timeZone' },
    timeZones(current).map((zone) => h('option', { value: zone, selected: zone === current }, zone.replace(/_/g, ' '))),
  )
  select.addEventListener('change', () => onChange(select.value))
  return h('div', { class: 'field time-zone' }, h('label', { for: 'time-zone' }, 'Time zone'), select)
}

export function liveIndicator() {
  const indicator = h('p', { class: 'live', role: 'status' }, 'Connecting for live updates…')
  onLiveConnection((connected) => {
    indicator.classList.toggle('on', connected)
    indicator.textContent = connected ? 'Times update live' : 'Reconnecting for live updates…'
  })
  return indicator
}

export const slotRange = (start: string, end: string, timeZone: string) =>
  `${dateTimeLabel(start, timeZone)} – ${timeLabel(end, timeZone)}`

export function calendarEventOf(booking: PublicBookingFieldsFragment, manageUrl: string): CalendarEvent {
  return {
    title: `${booking.calendar.name} with ${booking.calendar.subaccountName}`,
    description: `Booked by ${booking.inviteeName}. Reschedule or cancel: ${manageUrl}`,
    start: booking.start,
    end: booking.end,
    uid: `${manageUrl.split('/').pop()!.slice(0, 40)}@booking-widget`,
  }
}

export function addToCalendar(event: CalendarEvent) {
  return h(
    'div',
    { class: 'add-to-calendar' },
    h('h3', {}, 'Add to your calendar'),
    h(
      'div',
      { class: 'row' },
      h('a', { class: 'button secondary', href: icsDataUrl(event), download: 'booking.ics' }, 'Download .ics'),
      h(
        'a',
        { class: 'button secondary', href: googleCalendarUrl(event), target: '_blank', rel: 'noopener' },
        'Google Calendar',
      ),
      h(
        'a',
        { class: 'button secondary', href: outlookCalendarUrl(event), target: '_blank', rel: 'noopener' },
        'Outlook',
      ),
    ),
  )
}

export const manageUrlOf = (token: string) => new URL(`/book/manage/${encodeURIComponent(token)}`, location.href).href

/** A page with only a message (unknown calendar, invalid manage link). */
export function messagePage(root: HTMLElement, title: string, text: string) {
  render(
    root,
    h('div', { class: 'widget single' }, h('section', { class: 'stage' }, h('h1', {}, title), h('p', {}, text))),
  )
}
