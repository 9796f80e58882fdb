import { DateTimeResolver, EmailAddressResolver } from 'graphql-scalars'
import { GraphQLError, Kind } from 'graphql'
import { isValidTimeZone } from '../time/zoneOffsets.ts'
import { builder } from './builder.ts'

builder.addScalarType('DateTime', DateTimeResolver, {
  description: 'An instant in time, as an RFC 3339 string in UTC (e.g. 2026-03-29T07:00:00.000Z).',
})

builder.addScalarType('EmailAddress', EmailAddressResolver, {})

function parseTimeZone(value: unknown): string {
  if (typeof value !== 'string' || !isValidTimeZone(value)) {
    throw new GraphQLError(`Not a valid IANA time zone: ${JSON.stringify(value)} (e.g. "Europe/Berlin").`)
  }
  return value
}

builder.scalarType('TimeZone', {
  description: 'An IANA time zone name, e.g. "Europe/Berlin" or "America/New_York".',
  serialize: (value) => value,
  parseValue: parseTimeZone,
  parseLiteral: (ast) => parseTimeZone(ast.kind === Kind.STRING ? ast.value : null),
})
