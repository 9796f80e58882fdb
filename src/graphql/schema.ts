import { lexicographicSortSchema, printSchema } from 'graphql'
import { builder } from './builder.ts'
import './scalars.ts'
import './errors.ts'
import './types/enums.ts'
import './types/Viewer.ts'
import './types/Subaccount.ts'
import './types/User.ts'
import './types/CrmCalendar.ts'
import './modules.ts'

export const schema = builder.toSchema({ sortSchema: true })

export function printSchemaSDL(): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n'
}
import './types/Health.ts'
