import { graphql } from '../../graphql/index.ts'

export const WhoAmIQuery = graphql(`
  query AuthWhoAmI {
    viewer {
      role
      principal
      tokenExpiresAt
      subaccount {
        id
        crmId
      }
      user {
        id
        crmId
        email
        name
        timeZone
      }
    }
  }
`)

export const PrincipalQuery = graphql(`
  query AuthPrincipal {
    viewer {
      role
      principal
      subaccount {
        id
      }
    }
  }
`)

export const HeartbeatSubscription = graphql(`
  subscription AuthHeartbeat {
    heartbeat
  }
`)

export const CreateApiKeyMutation = graphql(`
  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      __typename
      ... on CreateApiKeySuccess {
        secret
        apiKey {
          id
          name
          prefix
          revokedAt
        }
      }
      ...ErrorFields
    }
  }
`)

export const RevokeApiKeyMutation = graphql(`
  mutation AuthRevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      __typename
      ... on RevokeApiKeySuccess {
        apiKey {
          id
          revokedAt
        }
      }
      ... on Error {
        code
      }
    }
  }
`)

export const ApiKeysQuery = graphql(`
  query AuthApiKeys($includeRevoked: Boolean) {
    apiKeys(includeRevoked: $includeRevoked) {
      id
      name
      prefix
      lastUsedAt
      revokedAt
    }
  }
`)

export const UpsertUserMutation = graphql(`
  mutation AuthUpsertUser($input: UpsertUserInput!) {
    upsertUser(input: $input) {
      __typename
      ... on UpsertUserSuccess {
        user {
          id
          crmId
          email
          name
          timeZone
        }
      }
      ...ErrorFields
    }
  }
`)

export const RemoveUserMutation = graphql(`
  mutation AuthRemoveUser($input: RemoveUserFromSubaccountInput!) {
    removeUserFromSubaccount(input: $input) {
      __typename
      ... on RemoveUserFromSubaccountSuccess {
        userId
      }
      ... on Error {
        code
      }
    }
  }
`)

export const SetUserWorkingHoursMutation = graphql(`
  mutation AuthSetUserWorkingHours($input: SetUserWorkingHoursInput!) {
    setUserWorkingHours(input: $input) {
      __typename
      ... on SetUserWorkingHoursSuccess {
        members {
          id
          timeZone
          workingHours {
            weekday
            startMinute
            endMinute
          }
        }
      }
      ...ErrorFields
    }
  }
`)

export const ChangesQuery = graphql(`
  query AuthChanges($after: String, $first: Int) {
    appointmentsChangedSince(after: $after, first: $first) {
      edges {
        cursor
        node {
          id
          status
          start
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`)

export const UpdateViewerProfileMutation = graphql(`
  mutation AuthUpdateViewerProfile($input: UpdateViewerProfileInput!) {
    updateViewerProfile(input: $input) {
      __typename
      ... on UpdateViewerProfileSuccess {
        user {
          timeZone
        }
      }
      ...ErrorFields
    }
  }
`)
