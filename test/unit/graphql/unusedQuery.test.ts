// A resolver that forgets `...query` fails tests loudly (onUnusedQuery: 'error'), but never fails a production request.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

function onUnusedQueryIn(nodeEnv: string): string {
  const script =
    "const { builder } = await import('./src/graphql/builder.ts'); console.log(String(builder.options.prisma.onUnusedQuery))"
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, NODE_ENV: nodeEnv },
    encoding: 'utf8',
  }).trim()
}

describe('onUnusedQuery', () => {
  it('is an error outside production and off in production', () => {
    expect(onUnusedQueryIn('test')).toBe('error')
    expect(onUnusedQueryIn('development')).toBe('error')
    expect(onUnusedQueryIn('production')).toBe('null')
  })
})
