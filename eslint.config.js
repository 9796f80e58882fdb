import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'web/dist',
      'web/generated',
      'test-results',
      'src/generated',
      'test/graphql',
      'data',
      'bench/results',
      'coverage',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  {
    // Arrows one way: only src/graphql knows GraphQL. Domain modules throw DomainError (src/errors.ts) and src/graphql
    // maps it. The typescript-eslint variant of the rule; the src/sync block below uses the core rule, so neither
    // replaces the other on the files both cover (flat config replaces a rule's options, it does not merge them).
    files: ['src/**/*.ts'],
    ignores: ['src/graphql/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Package names only (never relative paths such as ./graphql/yoga.ts).
              regex: '^(graphql|graphql-yoga|graphql-ws)(/.*)?$|^@pothos/',
              message: 'Only src/graphql imports GraphQL: throw a DomainError (src/errors.ts) and map it there.',
            },
          ],
        },
      ],
    },
  },
  {
    // Arrows one way: the sync engine is handed its services and the two-way hooks (src/sync/ports.ts); it never
    // imports the process wiring (src/app) or the write-back (src/writeBack). The core rule, so that the GraphQL block
    // above (typescript-eslint's rule) still applies to these files.
    files: ['src/sync/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/*', '**/writeBack/*', '**/webhooks/*'],
              message:
                'src/sync must not import src/app, src/writeBack or src/webhooks: take it through SyncServices (ports.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Short steps (house style, STYLE.md "Steps"; issue 13): a function that grows past this becomes named steps that
    // read top-down.
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    // Arrows one way: the CalDAV client knows nothing of the process around it. What crosses processes (host pauses)
    // reaches it through ports (HostThrottle's onHostPaused/applyHostPause), connected in src/app.
    files: ['src/caldav/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/*', '**/realtime/*', '**/sync/*', '**/integrations/*'],
              message: 'src/caldav must not import the process wiring, pub/sub or its callers: give it a port.',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
)
