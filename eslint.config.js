import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'src/generated', 'test/graphql', 'data', 'bench/results', 'coverage'] },
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
    // Arrows one way: the sync engine is handed its services and the two-way hooks (src/sync/ports.ts); it never
    // imports the process wiring (src/app) or the write-back (src/writeBack). The typescript-eslint rule (not core
    // no-restricted-imports) so that other import blocks on the same files do not replace this one.
    files: ['src/sync/**/*.ts'],
    // The two background jobs still take BackgroundJob and Services from src/app (owned by other changes): their
    // two type imports each move to src/backgroundJob.ts and SyncServices (src/sync/ports.ts), then these go.
    ignores: ['src/sync/scheduler.ts', 'src/sync/runRetentionJob.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/*', '**/writeBack/*'],
              message: 'src/sync must not import src/app or src/writeBack: take it through SyncServices (ports.ts).',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
)
