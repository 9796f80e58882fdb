/** The text is not an iCalendar object we can read (syntax error, no VCALENDAR, broken component nesting). */
export class ICalParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
  }
}
