// The iCloud settings page (Settings › My Profile › Integrations › iCloud Calendar): connect, status with remedy,
// calendar choice, live sync status, Sync now, reconnect, disconnect. Talks to the staff API with the user's token.
import type { Client } from 'graphql-ws'
import { h, render } from '../shared/dom.ts'
import { reportHeightToParent } from '../shared/embedding.ts'
import { GraphQLRequestError, liveClient, subscribe } from '../shared/graphql.ts'
import { failureOf, hasToken, setToken, staff, staffEndpoint, type Integration } from './api.ts'
import { calendarsForm, type CalendarChoice } from './calendarsForm.ts'
import { credentialsForm, howToSteps, type FormFailure } from './connectForm.ts'
import {
  ConfigureICloudCalendars,
  ConnectICloud,
  DisconnectICloud,
  ReconnectICloud,
  RefreshCalendars,
  SettingsViewer,
  SyncNow,
  SyncStatusChanged,
} from './operations.ts'
import { remedy, statusBadge, syncLine } from './status.ts'
import { initialToken, listenForParentToken, notifyParentTokenRejected, saveToken } from './token.ts'

const app = document.getElementById('app')!

interface PageState {
  userName: string
  integration: Integration | null
  syncing: boolean
  notice: { tone: 'ok' | 'error' | 'warn'; text: string } | null
}
let state: PageState | null = null
let live: Client | null = null
let stopSyncStatus: (() => void) | null = null

function breadcrumb() {
  return h(
    'nav',
    { 'aria-label': 'Breadcrumb', class: 'breadcrumb' },
    h('ol', {}, h('li', {}, 'Settings'), h('li', {}, 'My Profile'), h('li', {}, 'Integrations')),
  )
}

function header() {
  return h(
    'header',
    { class: 'page-header' },
    breadcrumb(),
    h('h1', {}, 'iCloud Calendar'),
    h(
      'p',
      { class: 'muted' },
      'Connect your iCloud Calendar so your iCloud events block your booking availability and appointments booked ',
      'in the CRM appear in iCloud.',
    ),
  )
}

function noticeElement() {
  if (!state?.notice) return null
  return h('div', { class: `notice ${state.notice.tone}`, role: 'status' }, state.notice.text)
}

function draw() {
  if (!state) return
  const integration = state.integration
  render(app, header(), noticeElement(), integration ? connectedView(integration, state.syncing) : connectView())
}

function update(patch: Partial<PageState>) {
  if (!state) return
  state = { ...state, ...patch }
  draw()
}

async function refresh() {
  const data = await staff(SettingsViewer, {})
  const integration = data.viewer.integrations[0] ?? null
  state = { userName: data.viewer.user.name, integration, syncing: false, notice: state?.notice ?? null }
  watchSyncStatus(integration)
  draw()
}

function connectView() {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'connect-title' },
    h('h2', { id: 'connect-title' }, 'Connect iCloud Calendar'),
    h(
      'div',
      { class: 'connect-layout' },
      howToSteps(),
      credentialsForm({
        submitLabel: 'Connect iCloud',
        onSubmit: async (values) => {
          const result = (await staff(ConnectICloud, { input: values })).connectICloud
          if (result.__typename === 'ConnectICloudSuccess') {
            update({
              integration: result.integration,
              notice: { tone: 'ok', text: 'Connected. Now choose your calendars.' },
            })
            watchSyncStatus(result.integration)
            return null
          }
          return formFailure(result)
        },
      }),
    ),
  )
}

function formFailure(result: { __typename: string; message?: string; fieldErrors?: FormFailure['fieldErrors'] }) {
  return { message: failureOf(result) ?? 'Something went wrong.', fieldErrors: result.fieldErrors }
}

function connectedView(integration: Integration, syncing: boolean) {
  const lastRun = integration.syncRuns.edges[0]?.node
  return h(
    'div',
    {},
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'account-title' },
      h(
        'div',
        { class: 'account-head' },
        h(
          'div',
          {},
          h('h2', { id: 'account-title' }, 'iCloud account'),
          h('p', { class: 'apple-id' }, integration.appleId),
        ),
        statusBadge(integration.status),
      ),
      remedy(integration),
      h('p', { class: 'sync-line', role: 'status', 'data-testid': 'sync-status' }, syncLine(lastRun, syncing)),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', onclick: () => void syncNow(integration), disabled: syncing }, 'Sync now'),
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => void refreshCalendars(integration) },
          'Refresh calendar list',
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'calendars-title' },
      h('h2', { id: 'calendars-title' }, 'Calendars'),
      calendarsForm(integration, (choice) => configure(integration, choice)),
    ),
    reconnectSection(integration),
    disconnectSection(integration),
  )
}

function reconnectSection(integration: Integration) {
  const form = credentialsForm({
    appleId: integration.appleId,
    submitLabel: 'Reconnect',
    onSubmit: async ({ appSpecificPassword }) => {
      const input = { integrationId: integration.id, appSpecificPassword }
      const result = (await staff(ReconnectICloud, { input })).reconnectICloud
      if (result.__typename !== 'ReconnectICloudSuccess') return formFailure(result)
      const removed = result.removedCalendars.length
        ? ` Removed from iCloud: ${result.removedCalendars.join(', ')}.`
        : ''
      update({ integration: result.integration, notice: { tone: 'ok', text: `Reconnected.${removed}` } })
      return null
    },
  })
  const body = h('div', { class: 'connect-layout' }, howToSteps(), form)
  if (integration.status === 'NEEDS_REAUTH') {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'reconnect-title' },
      h('h2', { id: 'reconnect-title' }, 'Reconnect'),
      body,
    )
  }
  return h('details', { class: 'card' }, h('summary', {}, 'Reconnect with a new app-specific password'), body)
}

function disconnectSection(integration: Integration) {
  const area = h('div', { class: 'row' })
  const ask = () =>
    render(
      area,
      h(
        'p',
        { id: 'disconnect-question' },
        'Disconnect iCloud? Your iCloud events stop blocking time. Appointments stay in the CRM.',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'aria-describedby': 'disconnect-question',
          onclick: () => void disconnect(integration),
        },
        'Yes, disconnect',
      ),
      h('button', { type: 'button', class: 'secondary', onclick: idle }, 'Keep connected'),
    )
  const idle = () => render(area, h('button', { type: 'button', class: 'danger', onclick: ask }, 'Disconnect iCloud'))
  idle()
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'disconnect-title' },
    h('h2', { id: 'disconnect-title' }, 'Disconnect'),
    area,
  )
}

async function configure(integration: Integration, choice: CalendarChoice) {
  const result = (await staff(ConfigureICloudCalendars, { input: { integrationId: integration.id, ...choice } }))
    .configureICloudCalendars
  if (result.__typename === 'ConfigureICloudCalendarsSuccess') {
    update({
      integration: result.integration,
      notice: { tone: 'ok', text: result.changed ? 'Calendars saved.' : 'No changes.' },
    })
  } else update({ notice: { tone: 'error', text: failureOf(result)! } })
}

async function syncNow(integration: Integration) {
  update({ syncing: true, notice: null })
  const result = (await staff(SyncNow, { input: { integrationId: integration.id } })).syncNow
  if (result.__typename !== 'SyncNowSuccess')
    update({ syncing: false, notice: { tone: 'error', text: failureOf(result)! } })
}

async function refreshCalendars(integration: Integration) {
  const result = (await staff(RefreshCalendars, { input: { integrationId: integration.id } })).refreshCalendars
  if (result.__typename !== 'RefreshCalendarsSuccess') {
    update({ notice: { tone: 'error', text: failureOf(result)! } })
    return
  }
  const changes = [
    result.addedCalendars.length ? `New: ${result.addedCalendars.join(', ')}.` : '',
    result.removedCalendars.length ? `Gone from iCloud: ${result.removedCalendars.join(', ')}.` : '',
    result.linkedCalendarRemoved ? 'Your linked calendar was removed: choose a new one.' : '',
  ].filter(Boolean)
  const text = changes.length ? changes.join(' ') : 'The calendar list is up to date.'
  update({ integration: result.integration, notice: { tone: result.linkedCalendarRemoved ? 'warn' : 'ok', text } })
}

async function disconnect(integration: Integration) {
  const result = (await staff(DisconnectICloud, { input: { integrationId: integration.id } })).disconnectICloud
  if (result.__typename !== 'DisconnectICloudSuccess') {
    update({ notice: { tone: 'error', text: failureOf(result)! } })
    return
  }
  watchSyncStatus(null)
  update({ integration: null, notice: { tone: 'ok', text: 'iCloud Calendar was disconnected.' } })
}

/** Live sync status: a run starting shows "Syncing…"; a run ending re-reads the integration. */
function watchSyncStatus(integration: Integration | null) {
  stopSyncStatus?.()
  stopSyncStatus = null
  if (!integration) return
  live ??= liveClient(staffEndpoint)
  stopSyncStatus = subscribe(
    live,
    staffEndpoint,
    SyncStatusChanged,
    { integrationId: integration.id },
    ({ syncStatusChanged: change }) => {
      if (change.phase === 'STARTED') update({ syncing: true })
      else void refresh().catch(showError)
    },
    () => {},
  )
}

function showError(error: unknown) {
  if (error instanceof GraphQLRequestError && error.status === 401) {
    saveToken(null)
    setToken(null)
    notifyParentTokenRejected()
    signInView('Your session has expired or the token is not valid. Sign in again.')
    return
  }
  const text = error instanceof Error ? error.message : 'Something went wrong.'
  if (state) update({ notice: { tone: 'error', text } })
  else render(app, header(), h('div', { class: 'notice error', role: 'alert' }, text))
}

/** Standalone use (no CRM around it): paste a staff token. Embedded, the CRM posts it instead. */
function signInView(message?: string) {
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true })
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'signin-title' },
    h('h2', { id: 'signin-title' }, 'Sign in'),
    message ? h('div', { class: 'notice warn', role: 'alert' }, message) : null,
    h(
      'p',
      { class: 'muted' },
      'This page is normally opened from the CRM, which signs you in. To use it on its own, paste your staff token.',
    ),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'Staff token'), input),
    h('button', { type: 'submit' }, 'Sign in'),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    start(input.value.trim())
  })
  render(app, header(), form)
}

function start(token: string) {
  setToken(token)
  saveToken(token)
  live?.terminate()
  live = null
  state = null
  void refresh().catch(showError)
}

reportHeightToParent('icloud-settings:height')
listenForParentToken(start)
const token = initialToken()
if (token) start(token)
else if (!hasToken()) signInView()
