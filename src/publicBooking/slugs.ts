// URL names of subaccounts and calendars in public booking links (/book/<subaccountSlug>/<calendarSlug>).
import { InvalidInputError } from '../errors.ts'

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const MAX_SLUG_LENGTH = 60

/** "Dr. Müller's Clinic" → "dr-muller-s-clinic"; the same rule as the migration that backfilled subaccount slugs. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '')
  return slug || 'calendar'
}

/** Throws InvalidInputError unless `slug` is lower-case letters and digits joined by single dashes. */
export function assertValidSlug(slug: string, field: string): void {
  if (slug.length > MAX_SLUG_LENGTH || !SLUG_PATTERN.test(slug)) {
    throw InvalidInputError.at(
      [field],
      `A slug is 1–${MAX_SLUG_LENGTH} lower-case letters, digits and single dashes, e.g. "intro-call".`,
    )
  }
}
