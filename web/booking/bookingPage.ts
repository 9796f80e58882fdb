// The booking widget: choose a time (live), give your details, get a confirmation. When the chosen time is taken
// meanwhile (another invitee, a new iCloud event), the visitor is told and offered the nearest open times.
import { h, render } from '../shared/dom.ts'
import type { PublicCalendarFieldsFragment } from '../generated/graphql.ts'
import { BookPublicSlotDocument } from '../generated/graphql.ts'
import { publicRequest } from './api.ts'
import { bookingForm, type FieldError, type InviteeDetails } from './bookingForm.ts'
import {
  addToCalendar,
  calendarEventOf,
  calendarSummary,
  liveIndicator,
  manageUrlOf,
  slotRange,
  timeZoneSelect,
} from './parts.ts'
import { createSlotPicker, type Slot } from './slotPicker.ts'
import { dateTimeLabel, detectedTimeZone } from './zonedTime.ts'

/** Up to `count` open slots closest in time to `start`. */
function nearestSlots(slots: Slot[], start: string, count = 3): Slot[] {
  const at = Date.parse(start)
  return [...slots]
    .filter((slot) => slot.start !== start)
    .sort((a, b) => Math.abs(Date.parse(a.start) - at) - Math.abs(Date.parse(b.start) - at))
    .slice(0, count)
    .sort((a, b) => a.start.localeCompare(b.start))
}

export function bookingPage(root: HTMLElement, calendar: PublicCalendarFieldsFragment) {
  let timeZone = detectedTimeZone()
  let picked: Slot | null = null
  let slots: Slot[] = []
  let idempotencyKey = crypto.randomUUID()
  const stage = h('div', { class: 'stage' })
  const notice = h('div', { class: 'notice-area' })
  const chosen = h('p', { class: 'chosen' })
  const picker = createSlotPicker({ calendar, timeZone, onPick: pick, onSlots: slotsChanged })
  const details = bookingForm(book)
  const back = h('button', { type: 'button', class: 'secondary', onclick: () => showChoose() }, '‹ Change time')
  const detailsStep = h(
    'section',
    { class: 'details-step', 'aria-labelledby': 'details-title' },
    back,
    h('h2', { id: 'details-title' }, 'Your details'),
    chosen,
    details.form,
  )

  function pick(slot: Slot) {
    picked = slot
    idempotencyKey = crypto.randomUUID()
    render(notice)
    chosen.textContent = slotRange(slot.start, slot.end, timeZone)
    picker.element.hidden = true
    render(stage, notice, detailsStep)
    details.focus()
  }

  function showChoose() {
    picked = null
    picker.element.hidden = false
    render(stage, notice, picker.element)
    picker.element.querySelector<HTMLElement>('.day[data-focused="true"]')?.focus()
  }

  function slotsChanged(next: Slot[]) {
    slots = next
    if (picked && !next.some((slot) => slot.start === picked!.start)) slotTaken(picked)
  }

  /** The picked time is gone: say so, offer the nearest open times. */
  function slotTaken(slot: Slot) {
    const nearest = nearestSlots(slots, slot.start)
    const message = h(
      'div',
      { class: 'notice warn', role: 'alert', 'data-testid': 'slot-taken' },
      h('p', {}, `Sorry, ${dateTimeLabel(slot.start, timeZone)} is no longer available.`),
      nearest.length
        ? h(
            'div',
            {},
            h('p', {}, 'The nearest open times:'),
            h(
              'div',
              { class: 'row' },
              nearest.map((alt) =>
                h(
                  'button',
                  { type: 'button', class: 'secondary', onclick: () => pick(alt) },
                  dateTimeLabel(alt.start, timeZone),
                ),
              ),
            ),
          )
        : h('p', {}, 'Please choose another day.'),
    )
    picked = null
    picker.element.hidden = false
    render(stage, notice, picker.element)
    render(notice, message)
    picker.showDayOf(slot.start)
    message.querySelector('button')?.focus()
  }

  async function book(invitee: InviteeDetails): Promise<FieldError[] | null> {
    if (!picked) return null
    const slot = picked
    const input = {
      subaccountSlug: calendar.subaccountSlug,
      calendarSlug: calendar.calendarSlug,
      start: slot.start,
      timeZone,
      idempotencyKey,
      ...invitee,
    }
    let result
    try {
      result = (await publicRequest(BookPublicSlotDocument, { input })).bookPublicSlot
    } catch (error) {
      render(notice, h('div', { class: 'notice error', role: 'alert' }, (error as Error).message))
      return null
    }
    if (result.__typename === 'BookPublicSlotSuccess') {
      confirmation(result.booking, result.manageToken)
      return null
    }
    if (result.__typename === 'SlotUnavailable' || result.__typename === 'OutsideBookingWindow') {
      slots = slots.filter((s) => s.start !== slot.start)
      slotTaken(slot)
      return null
    }
    if (result.__typename === 'ValidationError') return result.fieldErrors
    render(notice, h('div', { class: 'notice error', role: 'alert' }, result.message))
    return null
  }

  function confirmation(booking: Parameters<typeof calendarEventOf>[0], manageToken: string) {
    picker.destroy()
    const manageUrl = manageUrlOf(manageToken)
    const heading = h('h2', { id: 'confirmed-title', tabindex: -1 }, 'You are booked')
    render(
      stage,
      h(
        'section',
        { class: 'confirmation', 'aria-labelledby': 'confirmed-title' },
        heading,
        h('p', { class: 'chosen' }, slotRange(booking.start, booking.end, timeZone)),
        h('p', {}, `A confirmation goes to ${booking.inviteeEmail}.`),
        addToCalendar(calendarEventOf(booking, manageUrl)),
        h(
          'p',
          { class: 'manage-link' },
          'Need to change it? ',
          h('a', { href: manageUrl, 'data-testid': 'manage-link' }, 'Reschedule or cancel'),
          ' (keep this link: it is your key to the booking).',
        ),
      ),
    )
    heading.focus()
  }

  const zone = timeZoneSelect(timeZone, (next) => {
    timeZone = next
    picker.setTimeZone(next)
    if (picked) chosen.textContent = slotRange(picked.start, picked.end, timeZone)
  })
  render(root, h('div', { class: 'widget' }, calendarSummary(calendar, [zone, liveIndicator()]), stage))
  showChoose()
}
