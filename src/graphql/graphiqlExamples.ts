// The document GraphiQL opens with: one example of each thing people come to try, ready to run once the token and
// ids are filled in. Checked against the schema by a test, so an example never drifts from the API.
export const GRAPHIQL_EXAMPLES = `# iCloud Scheduling API. Put your token in the Headers tab below:
#   { "Authorization": "Bearer <token>" }   (npm run seed prints demo tokens; an API key is "Bearer sk_…")
# Pick an operation with the ▶ button. Ids are global ids from earlier answers (e.g. integration.id).

# 1. Connect iCloud: an Apple ID and an app-specific password made at https://appleid.apple.com
mutation Connect {
  connectICloud(input: { appleId: "someone@icloud.com", appSpecificPassword: "abcd-efgh-ijkl-mnop" }) {
    __typename
    ... on ConnectICloudSuccess { integration { id status calendars { id displayName readOnly notSelectableReason } } }
    ... on Error { code message }
  }
}

# 2. Choose where CRM appointments go (linked) and which calendars block time (conflicts)
mutation Configure {
  configureICloudCalendars(
    input: { integrationId: "<Integration id>", linkedCalendarId: "<Calendar id>", conflictCalendarIds: [] }
  ) {
    __typename
    ... on ConfigureICloudCalendarsSuccess { integration { id linkedCalendar { calendar { displayName } } } }
    ... on Error { code message }
  }
}

# 3. Open slots of a CRM calendar, rendered in a time zone
query Availability {
  availability(
    calendarId: "<CrmCalendar id>"
    from: "2030-01-07T00:00:00Z"
    to: "2030-01-14T00:00:00Z"
    timeZone: "Europe/Berlin"
  ) {
    slots { start localStart freeMembers }
  }
}

# 4. Live: sync progress of an integration, and availability as it changes (run over graphql-ws or SSE)
subscription SyncStatus {
  syncStatusChanged(integrationId: "<Integration id>") { phase status outcome at }
}

subscription LiveAvailability {
  availabilityChanged(
    calendarId: "<CrmCalendar id>"
    from: "2030-01-07T00:00:00Z"
    to: "2030-01-14T00:00:00Z"
    timeZone: "Europe/Berlin"
  ) {
    added { start }
    removed { start }
  }
}

# 5. Public booking (no token) is served at /public/graphql, which accepts only the booking widget's persisted
#    documents; this is what the widget asks, shown here for reference with a staff token.
query PublicSlots {
  publicAvailability(
    subaccountSlug: "demo-clinic"
    calendarSlug: "consultation"
    from: "2030-01-07T00:00:00Z"
    to: "2030-01-14T00:00:00Z"
    timeZone: "Europe/Berlin"
  ) {
    slots { start localStart }
  }
}
`
