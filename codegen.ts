import type { CodegenConfig } from '@graphql-codegen/cli'

// Types the GraphQL documents used by tests (and the benchmarks) against the committed SDL.
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/**/*.ts', 'bench/**/*.ts', '!test/graphql/**'],
  ignoreNoDocuments: true,
  generates: {
    'test/graphql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        importExtension: '.ts',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', TimeZone: 'string', EmailAddress: 'string' },
      },
    },
  },
}

export default config
