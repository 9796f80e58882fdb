// GraphQL gives an optional input field the client left out (or sent as null) as null or undefined; the domain's
// inputs say "not given" with undefined alone (e.g. "keep the default", "leave unchanged").

type Absent<T> = { [K in keyof T]: Exclude<T[K], null> }

/** The input with every null field made undefined. */
export function nullsAsAbsent<T extends object>(input: T): Absent<T> {
  return Object.fromEntries(Object.entries(input).map(([key, value]) => [key, value ?? undefined])) as Absent<T>
}
