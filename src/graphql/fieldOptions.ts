// Field options that recur across the schema's object types.

/** An instant that may not exist yet: `t.expose('lastUsedAt', nullableDateTime('Last request made with the key.'))`. */
export const nullableDateTime = (description: string) => ({ type: 'DateTime', nullable: true, description }) as const
