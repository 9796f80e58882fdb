import type { CodegenConfig } from '@graphql-codegen/cli'

const scalars = { DateTime: 'string', TimeZone: 'string', EmailAddress: 'string' }

// Types the GraphQL documents used by tests (and the benchmarks) against the committed SDL, and those of the pages
// in web/ (as strings: no GraphQL parser in the browser bundle).
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'test/graphql/': {
      documents: ['test/**/*.ts', 'bench/**/*.ts', '!test/graphql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { importExtension: '.ts', useTypeImports: true, enumsAsTypes: true, scalars },
    },
    'web/generated/staff/': {
      documents: ['web/settings/**/*.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { documentMode: 'string', useTypeImports: true, enumsAsTypes: true, scalars },
    },
  },
}

export default config
