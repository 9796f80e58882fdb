// GraphQL documents of the write-back tests.
import { graphql } from '../../graphql/index.ts'

export const WriteBackAppointment = graphql(`
  query WriteBackAppointment($id: ID!) {
    node(id: $id) {
      ... on Appointment {
        id
        start
        end
        title
        notes
        status
        sequence
        writeBackState
        participants {
          user {
            id
          }
          active
          writeBackState
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

export const WriteBackBook = graphql(`
  mutation WriteBackBook($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      __typename
      ... on BookAppointmentSuccess {
        iCloudRecheck
        appointment {
          id
        }
      }
      ...ErrorFields
    }
  }
`)
