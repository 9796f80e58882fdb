import { lexicographicSortSchema, printSchema } from 'graphql'
import { builder } from './builder.ts'
import './scalars.ts'
import './errors.ts'
import './modules.ts'

export const schema = builder.toSchema({ sortSchema: true })

export function printSchemaSDL(): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n'
}
import './types/Health.ts'
