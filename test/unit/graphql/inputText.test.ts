// The text rules every String, ID and EmailAddress input passes (src/graphql/inputText.ts).
import { describe, expect, it } from 'vitest'
import { emailAddressIssue, textIssue, textLimits } from '../../../src/graphql/inputText.ts'

describe('textIssue', () => {
  it('refuses C0 control characters except tab, line feed and carriage return', () => {
    for (const code of [0, 1, 7, 8, 11, 12, 14, 27, 31]) {
      expect(textIssue(`a${String.fromCharCode(code)}b`), `U+${code.toString(16)}`).toMatch(/control characters/)
    }
    expect(textIssue('a\tb\nc\r\nd')).toBeNull()
  })

  it('refuses an unpaired surrogate but keeps emoji', () => {
    expect(textIssue('broken \uD83D')).toBe('Must be valid Unicode text')
    expect(textIssue('party 🎉')).toBeNull()
  })

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(textIssue('🎉'.repeat(200), textLimits.name)).toBeNull()
    expect(textIssue('x'.repeat(201), textLimits.name)).toBe('At most 200 characters')
    expect(textIssue('x'.repeat(1001))).toBe('At most 1000 characters')
  })
})

describe('emailAddressIssue', () => {
  it('allows 64 characters before the @ and 254 in all', () => {
    expect(emailAddressIssue(`${'a'.repeat(64)}@example.com`)).toBeNull()
    expect(emailAddressIssue(`${'a'.repeat(65)}@example.com`)).toBe('At most 64 characters before the @')
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.${'g'.repeat(60)}`
    expect(emailAddressIssue(`a@${domain}`)).toBeNull()
    expect(emailAddressIssue(`ab@${domain}`)).toBe('At most 254 characters')
    expect(emailAddressIssue('no-at-sign')).toBe('Must be an e-mail address')
  })
})
