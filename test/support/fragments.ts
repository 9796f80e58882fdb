// Fragments shared by the test documents. GraphQL Code Generator resolves them by name, so a document spreads
// `...ErrorFields` without importing this file.
import { graphql } from '../graphql/index.ts'

/** @public Spread by name in documents (`...ErrorFields`). */
export const ErrorFields = graphql(`
  fragment ErrorFields on Error {
    message
    code
  }
`)

/** @public Spread by name next to `...ErrorFields` where a mutation validates its input (`...FieldErrors`). */
export const FieldErrors = graphql(`
  fragment FieldErrors on ValidationError {
    fieldErrors {
      path
      message
    }
  }
`)

/** @public Spread by name in documents (`workingHours { ...WorkingHoursFields }`). */
export const WorkingHoursFields = graphql(`
  fragment WorkingHoursFields on WorkingHoursRule {
    weekday
    startMinute
    endMinute
  }
`)

/** @public Spread by name in documents (`appointment { ...AppointmentFields }`): what the scheduling tests read. */
export const AppointmentFields = graphql(`
  fragment AppointmentFields on Appointment {
    id
    start
    end
    status
    sequence
    assignedUser {
      id
    }
    participants {
      user {
        id
      }
      active
      writeBackState
    }
  }
`)
