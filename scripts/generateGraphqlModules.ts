// `npm run graphql:modules` (also part of `npm run schema:print`): writes src/graphql/modules.ts, the import map of
// every type, mutation and subscription file, so a new file is found without editing a list by hand. Pothos types
// reference each other through imported refs or by name, so the order of these imports does not matter; sorting
// keeps the file stable. A test fails when the committed file differs from what this writes.
import { writeFile } from 'node:fs/promises'
import { graphqlModulesSource, GRAPHQL_MODULES_PATH } from '../src/graphql/moduleMap.ts'

await writeFile(GRAPHQL_MODULES_PATH, await graphqlModulesSource())
console.log(`wrote ${GRAPHQL_MODULES_PATH}`)
