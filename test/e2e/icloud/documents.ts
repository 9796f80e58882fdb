// GraphQL documents and helpers shared by the iCloud connection tests.
import { graphql } from '../../graphql/index.ts'

/** @public Spread by name in the documents below. */
export const CalendarFields = graphql(`
  fragment ICloudCalendarFields on Calendar {
    id
    displayName
    color
    kind
    path
    writable
    supportsEvents
    shared
    readOnly
    subscribed
    selectableAsLinked
    selectableAsConflict
    notSelectableReason
    isLinked
    isConflict
    lastCheckedAt
  }
`)

/** @public Spread by name in the documents below. */
export const IntegrationFields = graphql(`
  fragment ICloudIntegrationFields on Integration {
    id
    provider
    appleId
    status
    lastError
    nextSyncAt
    user {
      id
    }
    calendars {
      ...ICloudCalendarFields
    }
    linkedCalendar {
      alsoConflict
      calendar {
        id
        displayName
      }
    }
    conflictCalendars {
      calendar {
        id
        displayName
      }
    }
  }
`)

export const ConnectICloud = graphql(`
  mutation TestConnectICloud($input: ConnectICloudInput!) {
    connectICloud(input: $input) {
      __typename
      ... on ConnectICloudSuccess {
        integration {
          ...ICloudIntegrationFields
        }
      }
      ...ErrorFields
      ...FieldErrors
    }
  }
`)

export const ReconnectICloud = graphql(`
  mutation TestReconnectICloud($input: ReconnectICloudInput!) {
    reconnectICloud(input: $input) {
      __typename
      ... on ReconnectICloudSuccess {
        removedCalendars
        linkedCalendarRemoved
        integration {
          ...ICloudIntegrationFields
        }
      }
      ...ErrorFields
      ...FieldErrors
    }
  }
`)

export const DisconnectICloud = graphql(`
  mutation TestDisconnectICloud($input: DisconnectICloudInput!) {
    disconnectICloud(input: $input) {
      __typename
      ... on DisconnectICloudSuccess {
        disconnectedIntegrationId
      }
      ...ErrorFields
    }
  }
`)

export const RefreshCalendars = graphql(`
  mutation TestRefreshCalendars($input: RefreshCalendarsInput!) {
    refreshCalendars(input: $input) {
      __typename
      ... on RefreshCalendarsSuccess {
        addedCalendars
        removedCalendars
        linkedCalendarRemoved
        integration {
          ...ICloudIntegrationFields
        }
      }
      ...ErrorFields
    }
  }
`)

export const ConfigureICloudCalendars = graphql(`
  mutation TestConfigureICloudCalendars($input: ConfigureICloudCalendarsInput!) {
    configureICloudCalendars(input: $input) {
      __typename
      ... on ConfigureICloudCalendarsSuccess {
        changed
        integration {
          ...ICloudIntegrationFields
        }
      }
      ...ErrorFields
    }
  }
`)

export const ViewerIntegrations = graphql(`
  query TestViewerIntegrations {
    viewer {
      integrations {
        ...ICloudIntegrationFields
      }
    }
  }
`)

export const SubaccountIntegrations = graphql(`
  query TestSubaccountIntegrations {
    viewer {
      subaccount {
        integrations {
          id
          appleId
          status
          user {
            id
          }
        }
      }
    }
  }
`)

export const IntegrationById = graphql(`
  query TestIntegrationById($id: ID!) {
    integration(id: $id) {
      ...ICloudIntegrationFields
    }
  }
`)

export const NodeById = graphql(`
  query TestICloudNode($id: ID!) {
    node(id: $id) {
      id
      __typename
    }
  }
`)

type Calendarish = { displayName: string; path: string }
/** The calendar whose path ends in `/<name>/`. */
export function byName<T extends Calendarish>(calendars: T[], name: string): T {
  const found = calendars.find((calendar) => calendar.path.endsWith(`/${name}/`))
  if (!found) throw new Error(`no calendar ${name} in ${calendars.map((c) => c.path).join(', ')}`)
  return found
}
