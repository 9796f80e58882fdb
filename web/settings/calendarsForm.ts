// Choosing the linked calendar (one, writable) and the conflict calendars (any event calendar): one row per
// calendar with a radio and a checkbox. Calendars that cannot be chosen stay listed, disabled, with the server's
// reason.
import { h, uniqueId } from '../shared/dom.ts'
import { formatDateTime } from '../shared/embedding.ts'
import type { Integration, RemoteCalendar } from './api.ts'

export interface CalendarChoice {
  linkedCalendarId: string
  conflictCalendarIds: string[]
  linkedAlsoConflict: boolean
}

function details(calendar: RemoteCalendar) {
  const parts: (string | HTMLElement)[] = []
  if (calendar.notSelectableReason) parts.push(calendar.notSelectableReason)
  if (calendar.lastCheckedAt) parts.push(`Last checked ${formatDateTime(calendar.lastCheckedAt)}`)
  if (calendar.lastError) parts.push(h('span', { class: 'field-error' }, calendar.lastError))
  return parts.flatMap((part, i) => (i === 0 ? [part] : [' · ', part]))
}

function choice(
  type: 'radio' | 'checkbox',
  name: string,
  label: string,
  calendar: RemoteCalendar,
  enabled: boolean,
  detailsId: string,
) {
  const checked = type === 'radio' ? calendar.isLinked : calendar.isConflict
  return h(
    'label',
    { class: `choice${enabled ? '' : ' disabled'}` },
    h('input', {
      type,
      name,
      value: calendar.id,
      checked: checked && enabled,
      disabled: !enabled,
      'aria-label': `${label}: ${calendar.displayName}`,
      'aria-describedby': detailsId,
    }),
    h('span', { 'aria-hidden': 'true' }, label),
  )
}

function calendarRow(calendar: RemoteCalendar) {
  const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' })
  if (calendar.color) swatch.style.background = calendar.color.slice(0, 7)
  const selectable = calendar.selectableAsLinked || calendar.selectableAsConflict
  const detailsId = uniqueId('calendar-details')
  return h(
    'li',
    { class: `calendar-row${selectable ? '' : ' unselectable'}` },
    swatch,
    h(
      'div',
      { class: 'calendar-text' },
      h('span', { class: 'calendar-name' }, calendar.displayName),
      h('span', { class: 'calendar-details', id: detailsId }, details(calendar)),
    ),
    h(
      'div',
      { class: 'calendar-choices' },
      choice('radio', 'linked', 'Linked', calendar, calendar.selectableAsLinked, detailsId),
      choice('checkbox', 'conflict', 'Blocks time', calendar, calendar.selectableAsConflict, detailsId),
    ),
  )
}

/** Selectable ones first, so the choice is up front. */
const rank = (c: RemoteCalendar) => (c.selectableAsLinked ? 0 : c.selectableAsConflict ? 1 : 2)

export function calendarsForm(integration: Integration, onSave: (choice: CalendarChoice) => Promise<void>) {
  const calendars = [...integration.calendars].sort((a, b) => rank(a) - rank(b))
  const alsoConflict = h('input', {
    type: 'checkbox',
    id: uniqueId('also-conflict'),
    name: 'linkedAlsoConflict',
    checked: integration.linkedCalendar?.alsoConflict ?? true,
  })
  const status = h('div', { role: 'status', class: 'form-status' })
  const save = h('button', { type: 'submit' }, 'Save calendars')
  const form = h(
    'form',
    { class: 'calendars', 'aria-labelledby': 'calendars-title' },
    h(
      'p',
      { class: 'muted small' },
      h('strong', {}, 'Linked'),
      ': new appointments booked in the CRM are written to this calendar. ',
      h('strong', {}, 'Blocks time'),
      ': busy events in these calendars block your availability.',
    ),
    h('ul', { class: 'calendar-list' }, calendars.map(calendarRow)),
    h(
      'div',
      { class: 'also-conflict' },
      alsoConflict,
      h('label', { for: alsoConflict.id }, 'Events in the linked calendar block time too'),
    ),
    status,
    save,
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const data = new FormData(form)
    const linkedCalendarId = data.get('linked')
    status.textContent = ''
    if (typeof linkedCalendarId !== 'string') {
      status.textContent = 'Choose a linked calendar first.'
      return
    }
    save.disabled = true
    const chosen = {
      linkedCalendarId,
      conflictCalendarIds: data.getAll('conflict').filter((v): v is string => typeof v === 'string'),
      linkedAlsoConflict: alsoConflict.checked,
    }
    void onSave(chosen).finally(() => {
      save.disabled = false
    })
  })
  return form
}
