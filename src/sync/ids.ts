import { randomBytes } from 'node:crypto'

/**
 * Row ids made before the insert (slots must reference their object in the same createMany batch). Sortable by
 * creation time like Prisma's cuid(), collision-free for practical purposes (96 random bits).
 */
export function newId(prefix = 'c'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(12).toString('base64url')}`
}
