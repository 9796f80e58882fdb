// Expected failures of the domain. Plain errors with a stable `code`: src/graphql decides how a client sees them
// (members of mutation result unions, or GraphQL errors with `extensions.code` in queries and subscriptions).
// Nothing here knows about GraphQL.

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = new.target.name
  }
}

/** The object does not exist, or is not visible to the caller (its existence is not revealed). */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`)
  }
}

/** The caller may not perform this action. */
export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message)
  }
}

/** One invalid input field: its path inside the input, and what is wrong with it. */
export interface InputIssue {
  path: string[]
  message: string
}

/** The input is malformed or breaks a domain rule; nothing was changed. */
export class InvalidInputError extends DomainError {
  readonly issues: InputIssue[]

  constructor(issues: InputIssue[]) {
    super('INVALID_INPUT', `Validation error: ${issues.map(describeIssue).join(', ')}`)
    this.issues = issues
  }

  /** One issue at `path` (e.g. `['timeZone']`). */
  static at(path: string[], message: string): InvalidInputError {
    return new InvalidInputError([{ path, message }])
  }
}

function describeIssue(issue: InputIssue): string {
  return `${issue.path.length > 0 ? issue.path.join('.') : 'unknown'}: ${issue.message}`
}
