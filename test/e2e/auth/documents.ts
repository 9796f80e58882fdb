import { graphql } from '../../graphql/index.ts'

/** @public Spread by name in the documents below. */
export const UserFields = graphql(`
  fragment AuthUserFields on User {
    id
    crmId
    email
    name
    timeZone
  }
`)

/** @public Spread by name in the documents below. */
export const ApiKeyFields = graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    prefix
    lastUsedAt
    revokedAt
  }
`)

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
        ...AuthUserFields
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
          ...ApiKeyFields
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
          ...ApiKeyFields
        }
      }
      ...ErrorFields
    }
  }
`)

export const ApiKeysQuery = graphql(`
  query AuthApiKeys($includeRevoked: Boolean) {
    apiKeys(includeRevoked: $includeRevoked) {
      ...ApiKeyFields
    }
  }
`)

export const UpsertUserMutation = graphql(`
  mutation AuthUpsertUser($input: UpsertUserInput!) {
    upsertUser(input: $input) {
      __typename
      ... on UpsertUserSuccess {
        user {
          ...AuthUserFields
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
      ...ErrorFields
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
            ...WorkingHoursFields
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
