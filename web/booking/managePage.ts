// The manage page behind a booking's link (/book/manage/<token>): see the booking, cancel it, or move it to another
// open time. A reschedule returns a new token; the address bar follows it.
import { h, render } from '../shared/dom.ts'
import type { PublicBookingFieldsFragment } from '../generated/graphql.ts'
import { CancelBookingDocument, PublicBookingDocument, RescheduleBookingDocument } from '../generated/graphql.ts'
import { publicRequest } from './api.ts'
import {
  addToCalendar,
  calendarEventOf,
  calendarSummary,
  liveIndicator,
  manageUrlOf,
  messagePage,
  slotRange,
  timeZoneSelect,
} from './parts.ts'
import { createSlotPicker, type SlotPicker } from './slotPicker.ts'
import { detectedTimeZone } from './zonedTime.ts'

type Booking = PublicBookingFieldsFragment

export async function managePage(root: HTMLElement, initialToken: string) {
  let token = initialToken
  const timeZone = { current: detectedTimeZone() }
  const booking = (await publicRequest(PublicBookingDocument, { manageToken: token })).publicBooking
  if (!booking) {
    messagePage(
      root,
      'This link does not work',
      'It may be mistyped, or the booking was rescheduled and has a newer link.',
    )
    return
  }
  const stage = h('div', { class: 'stage' })
  let picker: SlotPicker | null = null
  const zone = timeZoneSelect(timeZone.current, (next) => {
    timeZone.current = next
    picker?.setTimeZone(next)
  })
  render(root, h('div', { class: 'widget' }, calendarSummary(booking.calendar, [zone, liveIndicator()]), stage))
  overview(booking)

  function overview(current: Booking, message?: string) {
    picker?.destroy()
    picker = null
    const cancelled = current.status === 'CANCELLED'
    const heading = h(
      'h2',
      { id: 'manage-title', tabindex: -1 },
      cancelled ? 'This booking is cancelled' : 'Your booking',
    )
    render(
      stage,
      h(
        'section',
        { class: 'manage', 'aria-labelledby': 'manage-title' },
        message ? h('div', { class: 'notice ok', role: 'status' }, message) : null,
        heading,
        h(
          'p',
          { class: `chosen${cancelled ? ' struck' : ''}` },
          slotRange(current.start, current.end, timeZone.current),
        ),
        h('p', {}, `Booked by ${current.inviteeName} (${current.inviteeEmail}).`),
        cancelled
          ? null
          : h(
              'div',
              { class: 'row' },
              h('button', { type: 'button', onclick: () => reschedule(current) }, 'Reschedule'),
              h('button', { type: 'button', class: 'danger', onclick: () => cancel(current) }, 'Cancel booking'),
            ),
        cancelled ? null : addToCalendar(calendarEventOf(current, manageUrlOf(token))),
      ),
    )
    if (message) heading.focus()
  }

  function cancel(current: Booking) {
    const reason = h('textarea', { id: 'cancel-reason', name: 'reason', maxlength: 1000 })
    const error = h('div', { role: 'alert' })
    const form = h(
      'form',
      { class: 'cancel-form', 'aria-labelledby': 'cancel-title' },
      h('h2', { id: 'cancel-title' }, 'Cancel this booking?'),
      h('p', { class: 'chosen' }, slotRange(current.start, current.end, timeZone.current)),
      h('div', { class: 'field' }, h('label', { for: 'cancel-reason' }, 'Reason (optional)'), reason),
      error,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'danger' }, 'Yes, cancel it'),
        h('button', { type: 'button', class: 'secondary', onclick: () => overview(current) }, 'Keep it'),
      ),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const input = { manageToken: token, reason: reason.value.trim() || null }
      void publicRequest(CancelBookingDocument, { input }).then(({ cancelBooking: result }) => {
        if (result.__typename === 'CancelBookingSuccess') overview(result.booking, 'Your booking is cancelled.')
        else render(error, h('div', { class: 'notice error' }, result.message))
      })
    })
    render(stage, form)
    reason.focus()
  }

  function reschedule(current: Booking) {
    const notice = h('div', { role: 'alert' })
    picker = createSlotPicker({
      calendar: current.calendar,
      timeZone: timeZone.current,
      onPick: (slot) => {
        const input = { manageToken: token, start: slot.start }
        void publicRequest(RescheduleBookingDocument, { input }).then(({ rescheduleBooking: result }) => {
          if (result.__typename === 'RescheduleBookingSuccess') {
            token = result.manageToken
            history.replaceState(null, '', `/book/manage/${encodeURIComponent(token)}${location.search}`)
            overview(result.booking, 'Your booking was moved.')
          } else render(notice, h('div', { class: 'notice error' }, result.message))
        })
      },
    })
    render(
      stage,
      h(
        'section',
        { 'aria-labelledby': 'reschedule-title' },
        h('button', { type: 'button', class: 'secondary', onclick: () => overview(current) }, '‹ Back'),
        h('h2', { id: 'reschedule-title' }, 'Choose a new time'),
        h('p', { class: 'muted' }, `Now: ${slotRange(current.start, current.end, timeZone.current)}`),
        notice,
        picker.element,
      ),
    )
  }
}
