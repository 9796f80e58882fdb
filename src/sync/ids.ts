import { randomBytes } from 'node:crypto'

// Random bytes are drawn in blocks: one randomBytes() call per id costs more than the rest of a row's preparation
// when an initial sync makes tens of thousands of ids.
const ID_BYTES = 12
const POOL_IDS = 1024
let pool = Buffer.alloc(0)
let offset = 0

/**
 * Row ids made before the insert (slots must reference their object in the same batch). Sortable by creation time
 * like Prisma's cuid(), collision-free for practical purposes (96 random bits).
 */
export function newId(prefix = 'c'): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS)
    offset = 0
  }
  const random = pool.toString('base64url', offset, offset + ID_BYTES)
  offset += ID_BYTES
  return `${prefix}${Date.now().toString(36)}${random}`
}
