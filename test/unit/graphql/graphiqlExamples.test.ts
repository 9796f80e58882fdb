// GraphiQL's opening document is part of the API's documentation: every example must parse and fit the schema.
import { parse, validate, type OperationDefinitionNode } from 'graphql'
import { describe, expect, it } from 'vitest'
import { GRAPHIQL_EXAMPLES } from '../../../src/graphql/graphiqlExamples.ts'
import { schema } from '../../../src/graphql/schema.ts'

describe('GraphiQL examples', () => {
  const document = parse(GRAPHIQL_EXAMPLES)

  it('are valid against the schema', () => {
    expect(validate(schema, document).map((error) => error.message)).toEqual([])
  })

  it('cover connect, configure, availability, subscriptions and public booking, and say where the token goes', () => {
    const operations = document.definitions as OperationDefinitionNode[]
    expect(operations.map((op) => `${op.operation} ${op.name?.value}`)).toEqual([
      'mutation Connect',
      'mutation Configure',
      'query Availability',
      'subscription SyncStatus',
      'subscription LiveAvailability',
      'query PublicSlots',
    ])
    expect(GRAPHIQL_EXAMPLES).toContain('"Authorization": "Bearer <token>"')
  })
})
