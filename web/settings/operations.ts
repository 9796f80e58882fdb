// The staff operations of the iCloud settings page (sent to /graphql with the user's bearer token).
import { graphql } from '../generated/staff/index.ts'

/** @public Spread by name in the documents below. */
export const IntegrationFields = graphql(`
  fragment SettingsIntegration on Integration {
    id
    appleId
    status
    lastError
    lastSyncedAt
    nextSyncAt
    calendars {
      id
      displayName
      color
      kind
      readOnly
      selectableAsLinked
      selectableAsConflict
      notSelectableReason
      lastCheckedAt
      lastSyncedAt
      lastError
      isLinked
      isConflict
    }
    linkedCalendar {
      alsoConflict
      calendar {
        id
      }
    }
    syncRuns(first: 1) {
      edges {
        node {
          ...SettingsSyncRun
        }
      }
    }
  }
`)

/** @public Spread by name in the documents below. */
export const SyncRunFields = graphql(`
  fragment SettingsSyncRun on SyncRun {
    id
    outcome
    trigger
    startedAt
    finishedAt
    calendarsChecked
    calendarsChanged
    objectsFetched
  }
`)

export const SettingsViewer = graphql(`
  query SettingsViewer {
    viewer {
      user {
        name
        email
      }
      subaccount {
        name
      }
      integrations {
        ...SettingsIntegration
      }
    }
  }
`)

export const ConnectICloud = graphql(`
  mutation SettingsConnectICloud($input: ConnectICloudInput!) {
    connectICloud(input: $input) {
      __typename
      ... on ConnectICloudSuccess {
        integration {
          ...SettingsIntegration
        }
      }
      ... on Error {
        code
        message
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
    }
  }
`)

export const ReconnectICloud = graphql(`
  mutation SettingsReconnectICloud($input: ReconnectICloudInput!) {
    reconnectICloud(input: $input) {
      __typename
      ... on ReconnectICloudSuccess {
        linkedCalendarRemoved
        removedCalendars
        integration {
          ...SettingsIntegration
        }
      }
      ... on Error {
        code
        message
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
    }
  }
`)

export const DisconnectICloud = graphql(`
  mutation SettingsDisconnectICloud($input: DisconnectICloudInput!) {
    disconnectICloud(input: $input) {
      __typename
      ... on Error {
        code
        message
      }
    }
  }
`)

export const ConfigureICloudCalendars = graphql(`
  mutation SettingsConfigureICloudCalendars($input: ConfigureICloudCalendarsInput!) {
    configureICloudCalendars(input: $input) {
      __typename
      ... on ConfigureICloudCalendarsSuccess {
        changed
        integration {
          ...SettingsIntegration
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`)

export const RefreshCalendars = graphql(`
  mutation SettingsRefreshCalendars($input: RefreshCalendarsInput!) {
    refreshCalendars(input: $input) {
      __typename
      ... on RefreshCalendarsSuccess {
        addedCalendars
        removedCalendars
        linkedCalendarRemoved
        integration {
          ...SettingsIntegration
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`)

export const SyncNow = graphql(`
  mutation SettingsSyncNow($input: SyncNowInput!) {
    syncNow(input: $input) {
      __typename
      ... on SyncNowSuccess {
        syncRun {
          ...SettingsSyncRun
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`)

export const SyncStatusChanged = graphql(`
  subscription SettingsSyncStatusChanged($integrationId: ID!) {
    syncStatusChanged(integrationId: $integrationId) {
      phase
      status
      outcome
      at
      syncRun {
        ...SettingsSyncRun
      }
    }
  }
`)
