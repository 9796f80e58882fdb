// The settings page's view of the staff API: one endpoint, the current token, typed results.
import { request, type Endpoint, type TypedDocument } from '../shared/graphql.ts'
import type { SettingsIntegrationFragment } from '../generated/staff/graphql.ts'

export type Integration = SettingsIntegrationFragment
export type RemoteCalendar = Integration['calendars'][number]

let token: string | null = null

export const staffEndpoint: Endpoint = {
  url: '/graphql',
  authorization: () => (token ? `Bearer ${token}` : null),
}

export const setToken = (value: string | null) => {
  token = value
}
export const hasToken = () => token !== null

export const staff = <R, V>(document: TypedDocument<R, V>, variables: V) => request(staffEndpoint, document, variables)

/** A mutation's expected failure (`... on Error`), or null on success. */
export function failureOf(result: { __typename: string; message?: string; code?: string }): string | null {
  return result.__typename.endsWith('Success') ? null : (result.message ?? 'Something went wrong.')
}
