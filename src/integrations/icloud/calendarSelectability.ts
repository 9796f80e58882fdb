// Which discovered collections the user may choose, and why not. Every collection of the calendar home is listed so
// the user sees why e.g. their Reminders or a subscribed holiday calendar cannot be picked.
import type { RemoteCalendarKind } from '../../generated/prisma/enums.ts'

export interface SelectabilityInput {
  kind: RemoteCalendarKind
  components: string[]
  writable: boolean
  subscribed: boolean
  shared: boolean
}

type NotSelectableCode = 'SUBSCRIBED_CALENDAR' | 'NOT_AN_EVENT_CALENDAR' | 'CALENDAR_NOT_WRITABLE'

export interface Selectability {
  supportsEvents: boolean
  selectableAsLinked: boolean
  selectableAsConflict: boolean
  /** Why it is not selectable in some role; null when it can be both linked and conflict calendar. */
  reason: string | null
  /** Typed-error code for the role(s) it is refused in. */
  code: NotSelectableCode | null
}

const neither = (code: NotSelectableCode, reason: string, supportsEvents = false): Selectability => ({
  supportsEvents,
  selectableAsLinked: false,
  selectableAsConflict: false,
  reason,
  code,
})

/** RFC 4791 §5.2.3: no supported-calendar-component-set means every component is accepted. */
const supportsEvents = (calendar: Pick<SelectabilityInput, 'kind' | 'components'>): boolean =>
  calendar.kind === 'EVENT_CALENDAR' && (calendar.components.length === 0 || calendar.components.includes('VEVENT'))

export function calendarSelectability(calendar: SelectabilityInput): Selectability {
  switch (calendar.kind) {
    case 'SUBSCRIBED':
      return neither(
        'SUBSCRIBED_CALENDAR',
        'Subscribed calendar (a feed iCloud copies from a URL, e.g. holidays): it is read-only and refreshed on ' +
          "iCloud's schedule, so it can neither receive appointments nor reliably block time.",
        true,
      )
    case 'TASK_LIST':
      return neither('NOT_AN_EVENT_CALENDAR', 'Reminders list: it holds tasks, not events.')
    case 'SCHEDULING_INBOX':
      return neither('NOT_AN_EVENT_CALENDAR', 'Scheduling inbox: where iCloud receives invitations, not a calendar.')
    case 'SCHEDULING_OUTBOX':
      return neither('NOT_AN_EVENT_CALENDAR', 'Scheduling outbox: used to send invitations, not a calendar.')
    case 'NOTIFICATIONS':
      return neither('NOT_AN_EVENT_CALENDAR', 'Notifications collection, not a calendar.')
    case 'OTHER':
      return neither('NOT_AN_EVENT_CALENDAR', 'Not an event calendar.')
    case 'EVENT_CALENDAR':
      break
  }
  if (!supportsEvents(calendar)) return neither('NOT_AN_EVENT_CALENDAR', 'This calendar does not accept events.')
  if (!calendar.writable) {
    return {
      supportsEvents: true,
      selectableAsLinked: false,
      selectableAsConflict: true,
      reason: calendar.shared
        ? 'Shared with you read-only: it can block time (conflict calendar) but cannot receive appointments.'
        : 'Read-only: it can block time (conflict calendar) but cannot receive appointments.',
      code: 'CALENDAR_NOT_WRITABLE',
    }
  }
  return { supportsEvents: true, selectableAsLinked: true, selectableAsConflict: true, reason: null, code: null }
}
