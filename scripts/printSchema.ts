// `npm run schema:print`: writes the printed, sorted SDL that is committed in schema/schema.graphql.
import { mkdir, writeFile } from 'node:fs/promises'
import { printSchemaSDL } from '../src/graphql/schema.ts'

await mkdir('schema', { recursive: true })
await writeFile('schema/schema.graphql', printSchemaSDL())
console.log('wrote schema/schema.graphql')
