// GraphQL documents of the write-back tests.
import { graphql } from '../../graphql/index.ts'

export const WriteBackAppointment = graphql(`
  query WriteBackAppointment($id: ID!) {
    node(id: $id) {
      ... on Appointment {
        ...AppointmentFields
        title
        notes
        writeBackState
        participants {
          writeBackError
          writeBackAttempts
          remoteHref
        }
        history {
          source
          kind
          change
        }
      }
    }
  }
`)

export const WriteBackAvailabilityChanged = graphql(`
  subscription WriteBackAvailabilityChanged($calendarId: ID!, $from: DateTime!, $to: DateTime!, $timeZone: TimeZone!) {
    availabilityChanged(calendarId: $calendarId, from: $from, to: $to, timeZone: $timeZone) {
      calendarId
      slots {
        start
      }
    }
  }
`)
