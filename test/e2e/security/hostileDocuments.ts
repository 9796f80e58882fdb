// Operations every transport must refuse with a typed error, and the code each gets (the same over HTTP and
// graphql-ws). Limits: src/graphql/limits.ts.
export const hostileDocuments: { name: string; query: string; code: string }[] = [
  { name: 'syntax error', query: '{ viewer { role ', code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'token bomb', query: `{ viewer { ${'role '.repeat(3100)} } }`, code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'alias bomb',
    query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`,
    code: 'TOO_MANY_ALIASES',
  },
  {
    name: 'directive bomb',
    query: `{ viewer { role ${'@include(if: true) '.repeat(30)} } }`,
    code: 'TOO_MANY_DIRECTIVES',
  },
  {
    name: 'depth bomb',
    query:
      '{ viewer { subaccount { crmCalendars(first: 1) { edges { node { members { user { integrations { calendars ' +
      '{ integration { user { integrations { calendars { id } } } } } } } } } } } } } }',
    code: 'QUERY_TOO_DEEP',
  },
  {
    name: 'cost bomb',
    query:
      '{ viewer { subaccount { crmCalendars(first: 200) { edges { node { members { calendar { members { calendar { ' +
      'members { user { name } workingHours { weekday } dateOverrides { date } } } } } } } } } } } }',
    code: 'QUERY_TOO_COSTLY',
  },
  { name: 'unknown field', query: '{ viewer { nope } }', code: 'GRAPHQL_VALIDATION_FAILED' },
]
