/**
 * The Pothos prisma `query` of a mutation result, safe to spread: when the client selects only `__typename` of the
 * success object it is `{ select: {} }`, which Prisma rejects.
 */
export function prismaQuery<Q extends { select?: object; include?: object }>(query: Q): Q | Record<string, never> {
  return query.select !== undefined && Object.keys(query.select).length === 0 ? {} : query
}
