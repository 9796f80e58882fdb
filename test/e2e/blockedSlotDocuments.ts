// The blocked-slot documents several end-to-end files share: creating a CRM blocked slot and hearing that a user's
// blocked slots changed.
import { graphql } from '../graphql/index.ts'

export const CreateBlockedSlot = graphql(`
  mutation BlockedSlotsCreate($input: CreateBlockedSlotInput!) {
    createBlockedSlot(input: $input) {
      __typename
      ... on CreateBlockedSlotSuccess {
        blockedSlot {
          id
          start
          end
          availability
          source
          title
        }
      }
      ...ErrorFields
      ...FieldErrors
    }
  }
`)

export const BlockedSlotsChanged = graphql(`
  subscription BlockedSlotsChanged($userId: ID!) {
    blockedSlotsChanged(userId: $userId) {
      userId
      from
      to
    }
  }
`)
