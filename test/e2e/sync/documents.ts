// GraphQL documents more than one sync test sends.
import { graphql } from '../../graphql/index.ts'

/** syncNow and what the tests look at: the run it started, or when it is refused inside a Retry-After window. */
export const SyncNow = graphql(`
  mutation SyncE2ESyncNow($input: SyncNowInput!) {
    syncNow(input: $input) {
      __typename
      ... on SyncNowSuccess {
        syncRun {
          id
          trigger
          outcome
          objectsFetched
          slotsWritten
          requestCount
          finishedAt
        }
      }
      ... on RateLimitedError {
        retryAt
      }
      ...ErrorFields
    }
  }
`)
