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
