import { createHash } from 'node:crypto'
import type { CodegenConfig } from '@graphql-codegen/cli'

const typedDocuments = {
  importExtension: '.ts',
  useTypeImports: true,
  enumsAsTypes: true,
  scalars: { DateTime: 'string', TimeZone: 'string', EmailAddress: 'string' },
} as const

// Types GraphQL documents against the committed SDL: those of the tests (and the benchmarks), the booking
// widget's operations, whose hashes also make the public path's persisted-document manifest, and the settings page's
// staff operations (as strings: no GraphQL parser in the browser bundle).
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'test/graphql/': {
      documents: ['test/**/*.ts', 'bench/**/*.ts', '!test/graphql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typedDocuments,
    },
    'web/generated/': {
      documents: ['web/booking/operations.graphql'],
      preset: 'client',
      // persisted-documents.json: hex sha256 of each document → the document (what the server accepts). Plain hex,
      // as Apollo's persistedQuery.sha256Hash carries it.
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: {
          hashAlgorithm: (document: string) => createHash('sha256').update(document).digest('hex'),
          // The bundle carries hashes only; the server has the text (persisted-documents.json).
          mode: 'replaceDocumentWithHash',
        },
      },
      config: typedDocuments,
    },
    'web/generated/staff/': {
      documents: ['web/settings/**/*.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...typedDocuments, documentMode: 'string' },
    },
  },
}

export default config
