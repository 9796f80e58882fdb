// The status badge with its remedy, and the live sync line.
import { h } from '../shared/dom.ts'
import { formatDateTime } from '../shared/embedding.ts'
import type { SettingsSyncRunFragment } from '../generated/staff/graphql.ts'
import type { Integration } from './api.ts'

const badges: Record<Integration['status'], { label: string; tone: string }> = {
  CONNECTED: { label: 'Connected', tone: 'ok' },
  NEEDS_REAUTH: { label: 'Needs re-auth', tone: 'warn' },
  ERROR: { label: 'Error', tone: 'bad' },
  DISCONNECTED: { label: 'Disconnected', tone: 'bad' },
}

export function statusBadge(status: Integration['status']) {
  const badge = badges[status]
  return h('span', { class: `badge ${badge.tone}`, 'data-testid': 'status-badge' }, badge.label)
}

export function remedy(integration: Integration): HTMLElement | null {
  if (integration.status === 'NEEDS_REAUTH') {
    return h(
      'div',
      { class: 'notice warn', role: 'alert' },
      h('strong', {}, 'iCloud no longer accepts the app-specific password. '),
      'It was revoked, or your Apple ID password changed. Create a new app-specific password and reconnect below. ',
      'Until then your last known iCloud events keep blocking time.',
    )
  }
  if (integration.status === 'ERROR') {
    return h(
      'div',
      { class: 'notice error', role: 'alert' },
      h('strong', {}, 'Syncing keeps failing. '),
      integration.lastError ? `${integration.lastError} ` : '',
      'It is retried automatically; press Sync now to try at once, or reconnect if your password changed.',
    )
  }
  if (!integration.linkedCalendar) {
    return h(
      'div',
      { class: 'notice warn' },
      'Choose a linked calendar below, so that new appointments are written to your iCloud Calendar.',
    )
  }
  return null
}

const outcomes: Record<SettingsSyncRunFragment['outcome'], string> = {
  RUNNING: 'running',
  SUCCESS: 'up to date',
  PARTIAL: 'partly synced (some calendars failed)',
  FAILED: 'failed',
  AUTH_FAILED: 'password refused',
  RATE_LIMITED: 'iCloud asked to slow down; retrying later',
}

export function syncLine(run: SettingsSyncRunFragment | null | undefined, syncing: boolean): string {
  if (syncing || run?.outcome === 'RUNNING') return 'Syncing with iCloud…'
  if (!run) return 'Not synced yet.'
  const at = formatDateTime(run.finishedAt ?? run.startedAt)
  const checked = run.calendarsChecked === 1 ? '1 calendar checked' : `${run.calendarsChecked} calendars checked`
  const changed = run.calendarsChanged === 0 ? 'none changed' : `${run.calendarsChanged} changed`
  return `Last sync ${at}: ${outcomes[run.outcome]} (${checked}, ${changed}).`
}
