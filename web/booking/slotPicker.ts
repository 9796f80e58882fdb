// Month view (days with open times) and day view (the times) of a published calendar, in the visitor's time zone,
// kept live by publicAvailabilityChanged. Keyboard: one day is in the tab order (roving focus); arrows move by day
// and week, Home/End to the week's ends, Page Up/Down change month; Enter or Space opens the day.
import { h, render } from '../shared/dom.ts'
import { subscribe } from '../shared/graphql.ts'
import type { PublicCalendarFieldsFragment } from '../generated/graphql.ts'
import { PublicAvailabilityChangedDocument, PublicAvailabilityDocument } from '../generated/graphql.ts'
import { live, publicEndpoint, publicRequest } from './api.ts'
import * as zt from './zonedTime.ts'

export interface Slot {
  start: string
  end: string
  seatsLeft?: number | null
}

export interface SlotPickerOptions {
  calendar: PublicCalendarFieldsFragment
  timeZone: string
  onPick(slot: Slot): void
  /** Every time the open slots of the shown month change (live pushes included). */
  onSlots?(slots: Slot[]): void
}

export interface SlotPicker {
  element: HTMLElement
  setTimeZone(timeZone: string): void
  showDayOf(start: string): void
  destroy(): void
}

const weekdayNames = (() => {
  const format = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' })
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => format.format(Date.UTC(2024, 0, 1 + i, 12)))
})()

export function createSlotPicker(options: SlotPickerOptions): SlotPicker {
  const element = h('div', { class: 'slot-picker' })
  let timeZone = options.timeZone
  const today = () => zt.localDateOf(Date.now(), timeZone)
  const lastDay = () => zt.localDateOf(Date.now() + options.calendar.bookingWindowDays * 86_400_000, timeZone)
  let month = zt.addMonths(today(), 0)
  let slots: Slot[] = []
  let loaded = false
  let selected: zt.LocalDate | null = null
  let focused: zt.LocalDate = today()
  let stopLive: (() => void) | null = null
  let autoAdvance = true
  let generation = 0

  const byDay = () => {
    const map = new Map<string, Slot[]>()
    for (const slot of slots) {
      const key = zt.dateKey(zt.localDateOf(slot.start, timeZone))
      map.set(key, [...(map.get(key) ?? []), slot])
    }
    return map
  }

  function windowOf(m: zt.LocalDate) {
    const from = Math.max(Date.now(), zt.startOfDay(m, timeZone))
    const to = Math.min(zt.startOfDay(zt.addMonths(m, 1), timeZone), zt.startOfDay(zt.addDays(lastDay(), 1), timeZone))
    return { from: new Date(from).toISOString(), to: new Date(Math.max(to, from + 60_000)).toISOString() }
  }

  function applySlots(next: Slot[]) {
    slots = next
    loaded = true
    const days = byDay()
    if (autoAdvance && slots.length === 0 && zt.compareDates(zt.addMonths(month, 1), lastDay()) <= 0) {
      autoAdvance = false
      goToMonth(zt.addMonths(month, 1))
      return
    }
    autoAdvance = false
    if (!selected || !sameMonthAs(selected) || !days.has(zt.dateKey(selected))) {
      const first = [...days.keys()].sort()[0]
      selected = first ? zt.localDateOf(days.get(first)![0]!.start, timeZone) : null
    }
    if (!sameMonthAs(focused)) focused = selected ?? { ...month, day: 1 }
    options.onSlots?.(slots)
    draw()
  }

  const sameMonthAs = (d: zt.LocalDate) => zt.sameMonth(d, month)

  function load() {
    const mine = ++generation
    loaded = false
    stopLive?.()
    const variables = {
      subaccountSlug: options.calendar.subaccountSlug,
      calendarSlug: options.calendar.calendarSlug,
      timeZone,
      ...windowOf(month),
    }
    draw()
    void publicRequest(PublicAvailabilityDocument, variables)
      .then((data) => mine === generation && applySlots(data.publicAvailability.slots))
      .catch((error: Error) => mine === generation && showError(error.message))
    stopLive = subscribe(
      live(),
      publicEndpoint,
      PublicAvailabilityChangedDocument,
      variables,
      (data) => mine === generation && applySlots(data.publicAvailabilityChanged.slots),
      () => {},
    )
  }

  function showError(message: string) {
    render(element, h('div', { class: 'notice error', role: 'alert' }, message))
  }

  function goToMonth(m: zt.LocalDate) {
    month = m
    selected = null
    focused = { ...m, day: 1 }
    load()
  }

  function moveFocus(to: zt.LocalDate) {
    if (!sameMonthAs(to)) return
    focused = to
    draw()
    element.querySelector<HTMLElement>('[data-focused="true"]')?.focus()
  }

  function onGridKey(event: KeyboardEvent) {
    const moves: Record<string, () => zt.LocalDate> = {
      ArrowLeft: () => zt.addDays(focused, -1),
      ArrowRight: () => zt.addDays(focused, 1),
      ArrowUp: () => zt.addDays(focused, -7),
      ArrowDown: () => zt.addDays(focused, 7),
      Home: () => zt.addDays(focused, 1 - zt.weekday(focused)),
      End: () => zt.addDays(focused, 7 - zt.weekday(focused)),
    }
    if (event.key === 'PageUp' || event.key === 'PageDown') {
      event.preventDefault()
      const next = zt.addMonths(month, event.key === 'PageUp' ? -1 : 1)
      if (canShow(next)) goToMonth(next)
      return
    }
    const move = moves[event.key]
    if (!move) return
    event.preventDefault()
    moveFocus(move())
  }

  const canShow = (m: zt.LocalDate) =>
    zt.compareDates(zt.addMonths(m, 1), zt.addMonths(today(), 1)) >= 0 && zt.compareDates(m, lastDay()) <= 0

  function monthHeader() {
    const title = zt.dateLabel(month, { month: 'long', year: 'numeric' })
    const previous = zt.addMonths(month, -1)
    const next = zt.addMonths(month, 1)
    return h(
      'div',
      { class: 'month-header' },
      h(
        'button',
        {
          type: 'button',
          class: 'icon',
          'aria-label': 'Previous month',
          disabled: !canShow(previous),
          onclick: () => goToMonth(previous),
        },
        '‹',
      ),
      h('h2', { id: 'month-title', 'aria-live': 'polite' }, title),
      h(
        'button',
        {
          type: 'button',
          class: 'icon',
          'aria-label': 'Next month',
          disabled: !canShow(next),
          onclick: () => goToMonth(next),
        },
        '›',
      ),
    )
  }

  function dayCell(date: zt.LocalDate, daySlots: Slot[] | undefined) {
    const isFocused = zt.compareDates(date, focused) === 0
    const isSelected = selected !== null && zt.compareDates(date, selected) === 0
    const open = daySlots?.length ?? 0
    const label = `${zt.dateLabel(date)}, ${open === 0 ? 'no open times' : open === 1 ? '1 open time' : `${open} open times`}`
    return h(
      'td',
      { role: 'gridcell', 'aria-selected': isSelected ? 'true' : 'false' },
      h(
        'button',
        {
          type: 'button',
          class: `day${open ? ' has-slots' : ''}${isSelected ? ' selected' : ''}`,
          tabindex: isFocused ? 0 : -1,
          'data-focused': isFocused ? 'true' : 'false',
          'data-date': zt.dateKey(date),
          'aria-label': label,
          'aria-disabled': open ? 'false' : 'true',
          onclick: () => {
            focused = date
            if (open) selected = date
            draw()
            element.querySelector<HTMLElement>('.times button')?.focus()
          },
        },
        String(date.day),
      ),
    )
  }

  function monthGrid() {
    const days = byDay()
    const rows: HTMLElement[] = []
    let cells: HTMLElement[] = []
    for (let i = 1; i < zt.weekday({ ...month, day: 1 }); i++) cells.push(h('td', { role: 'gridcell' }))
    for (let day = 1; day <= zt.daysInMonth(month); day++) {
      const date = { ...month, day }
      cells.push(dayCell(date, days.get(zt.dateKey(date))))
      if (cells.length === 7) {
        rows.push(h('tr', { role: 'row' }, cells))
        cells = []
      }
    }
    if (cells.length) rows.push(h('tr', { role: 'row' }, cells))
    const head = h(
      'tr',
      { role: 'row' },
      weekdayNames.map((name) => h('th', { role: 'columnheader', scope: 'col' }, name)),
    )
    const table = h(
      'table',
      { role: 'grid', class: 'month', 'aria-labelledby': 'month-title' },
      h('thead', {}, head),
      h('tbody', {}, rows),
    )
    table.addEventListener('keydown', onGridKey)
    return table
  }

  function timesList() {
    if (!loaded) return h('p', { class: 'muted' }, 'Loading open times…')
    if (!selected) return h('p', { class: 'muted' }, 'No open times this month.')
    const daySlots = byDay().get(zt.dateKey(selected)) ?? []
    return h(
      'section',
      { class: 'day-view', 'aria-labelledby': 'day-title' },
      h('h3', { id: 'day-title' }, zt.dateLabel(selected, { weekday: 'long', day: 'numeric', month: 'long' })),
      h(
        'ul',
        { class: 'times', 'aria-labelledby': 'day-title' },
        daySlots.map((slot) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'time',
                'data-start': slot.start,
                'aria-label': `${zt.timeLabel(slot.start, timeZone)}, ${zt.dateLabel(selected!)}`,
                onclick: () => options.onPick(slot),
              },
              zt.timeLabel(slot.start, timeZone),
              slot.seatsLeft != null ? h('span', { class: 'seats' }, `${slot.seatsLeft} left`) : null,
            ),
          ),
        ),
      ),
    )
  }

  function draw() {
    render(
      element,
      h('div', { class: 'month-view' }, monthHeader(), monthGrid()),
      h('div', { class: 'times-view' }, timesList()),
    )
  }

  load()
  return {
    element,
    setTimeZone: (next) => {
      timeZone = next
      month = zt.addMonths(selected ?? today(), 0)
      load()
    },
    showDayOf: (start) => {
      const date = zt.localDateOf(start, timeZone)
      selected = date
      focused = date
      if (!sameMonthAs(date)) goToMonth(zt.addMonths(date, 0))
      else draw()
    },
    destroy: () => {
      generation++
      stopLive?.()
    },
  }
}
