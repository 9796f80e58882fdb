// The rules for every text a client sends, applied to each String, ID and EmailAddress input by
// ./inputTextPlugin.ts. Why: PostgreSQL refuses NUL in text (an internal error instead of a ValidationError), other
// control characters end up in iCloud event titles and in logs, and free text is stored and copied into every
// iCloud event, so each field has a length limit. README "Limits and errors" lists the values.

/** Characters per field; a field without its own `maxLength` gets `default`. */
export const textLimits = {
  default: 1000,
  name: 200,
  title: 500,
  notes: 5000,
  phone: 50,
  key: 200,
} as const

/** RFC 5321 §4.5.3.1: a path holds at most 254 characters of address, the local part at most 64. */
const emailLimits = { total: 254, localPart: 64 } as const

// C0 control characters other than tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex -- finding them is the point
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/
// In `u` mode a surrogate range matches only an unpaired half, which PostgreSQL would store as U+FFFD.
const unpairedSurrogate = /[\uD800-\uDFFF]/u

function characterCount(value: string): number {
  let count = 0
  for (const _ of value) count++
  return count
}

/** What is wrong with `value` as free text of at most `maxLength` characters, or null. */
export function textIssue(value: string, maxLength: number = textLimits.default): string | null {
  if (controlCharacter.test(value)) {
    return 'Must not contain control characters (tab, line feed and carriage return are allowed)'
  }
  if (unpairedSurrogate.test(value)) return 'Must be valid Unicode text'
  // `length` counts UTF-16 units, never fewer than characters: count only when it might be over.
  if (value.length > maxLength && characterCount(value) > maxLength) return `At most ${maxLength} characters`
  return null
}

/** What is wrong with `value` as an e-mail address (beyond the shape the EmailAddress scalar checks), or null. */
export function emailAddressIssue(value: string): string | null {
  const text = textIssue(value, emailLimits.total)
  if (text) return text
  const at = value.lastIndexOf('@')
  if (at < 1 || at === value.length - 1) return 'Must be an e-mail address'
  if (at > emailLimits.localPart) return `At most ${emailLimits.localPart} characters before the @`
  return null
}
