// The error hierarchy shared by the CLI and the API: every failure a user can meet has a
// stable code, an exit code for the CLI, an HTTP status for the API, and the next step to take.

/** Every stable error code, with the CLI exit code and the HTTP status it maps to. */
export const ERROR_CODES = {
  /** A broken invariant: a bug in the toolkit. */
  INTERNAL: {exitCode: 1, httpStatus: 500, summary: 'Unexpected internal error (a bug)'},
  /** Bad flags, arguments or input values. */
  USAGE: {exitCode: 2, httpStatus: 400, summary: 'Invalid command-line usage or input'},
  VALIDATION_FAILED: {exitCode: 2, httpStatus: 400, summary: 'A value failed validation'},
  /** The configuration (environment and .env) is invalid or incomplete. */
  CONFIG_INVALID: {exitCode: 3, httpStatus: 500, summary: 'Configuration is invalid or incomplete'},
  NOT_FOUND: {exitCode: 4, httpStatus: 404, summary: 'Something that was asked for does not exist'},
  PORT_IN_USE: {exitCode: 5, httpStatus: 409, summary: 'A port is held by another process'},
  CONFLICT: {exitCode: 5, httpStatus: 409, summary: 'The operation conflicts with the current state'},
  UNAUTHORIZED: {exitCode: 6, httpStatus: 401, summary: 'Authentication is required or failed'},
  RATE_LIMITED: {exitCode: 6, httpStatus: 429, summary: 'Too many requests'},
  EXTERNAL_FAILED: {exitCode: 7, httpStatus: 502, summary: 'An external program or service failed'},
  TIMEOUT: {exitCode: 8, httpStatus: 504, summary: 'An operation did not finish in time'},
  PAYLOAD_TOO_LARGE: {exitCode: 2, httpStatus: 413, summary: 'The request body is too large'},
  UNSUPPORTED_MEDIA_TYPE: {exitCode: 2, httpStatus: 415, summary: 'The request body has an unsupported content type'},
  METHOD_NOT_ALLOWED: {exitCode: 2, httpStatus: 405, summary: 'The HTTP method is not allowed on this path'},
  FILE_SYSTEM: {exitCode: 9, httpStatus: 500, summary: 'A file could not be read or written'},
  MIGRATION_FAILED: {exitCode: 10, httpStatus: 500, summary: 'A database migration failed'},
  MIGRATION_DRIFT: {exitCode: 11, httpStatus: 500, summary: 'Applied migrations differ from the code'},
  DATABASE_UNAVAILABLE: {exitCode: 12, httpStatus: 503, summary: 'The database cannot be opened or reached'},
  /** Not a failure of the command: `diagnose` ran and found problems (with --strict, also warnings). */
  CHECKS_FAILED: {exitCode: 13, httpStatus: 500, summary: '`diagnose` found a failed check (--strict: or a warning)'},
  UNKNOWN_COMMAND: {exitCode: 127, httpStatus: 404, summary: 'Unknown command (the closest one is suggested)'},
  INTERRUPTED: {exitCode: 130, httpStatus: 499, summary: 'Interrupted by a signal (Ctrl-C)'},
} as const

export type ErrorCode = keyof typeof ERROR_CODES

export interface StorybookErrorOptions {
  /** Why it happened, when the message alone does not say. */
  reason?: string
  /** What to do next: usually the exact command to type. */
  next?: string[]
  /** Machine-readable detail, shown in JSON and API bodies. Never secret values. */
  details?: Record<string, unknown>
  cause?: unknown
}

/** An error a user can act on: it says what happened, why, and what to type next. */
export class StorybookError extends Error {
  readonly code: ErrorCode
  readonly reason: string | undefined
  readonly next: string[]
  readonly details: Record<string, unknown>

  constructor(code: ErrorCode, message: string, options: StorybookErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = new.target.name
    this.code = code
    this.reason = options.reason
    this.next = options.next ?? []
    this.details = options.details ?? {}
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].httpStatus
  }
}

/** One invalid or missing configuration variable. Carries the rule and the source, never the value. */
export interface ConfigProblem {
  key: string
  rule: string
  source: string
  missing: boolean
}

export class ConfigInvalidError extends StorybookError {
  readonly problems: ConfigProblem[]

  constructor(problems: ConfigProblem[], envFile: string) {
    const lines = problems.map((p) =>
      p.missing ? `  ${p.key}: missing; ${p.rule}` : `  ${p.key}: invalid (from ${p.source}); ${p.rule}`,
    )
    const fromEnvironment = problems.filter((p) => p.source === 'environment').map((p) => p.key)
    super(
      'CONFIG_INVALID',
      `The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
      {
        reason: `Values come from the process environment, then ${envFile}, then defaults.`,
        next: [
          ...(fromEnvironment.length > 0
            ? [`unset ${fromEnvironment.join(' ')}   # or fix the value in your shell`]
            : []),
          ...(problems.length > fromEnvironment.length ? ['storybook env setup'] : []),
          'storybook env show',
        ],
        details: {problems},
      },
    )
    this.problems = problems
  }
}

export class UsageError extends StorybookError {
  constructor(message: string, options: StorybookErrorOptions = {}) {
    super('USAGE', message, options)
  }
}

export class NotFoundError extends StorybookError {
  constructor(message: string, options: StorybookErrorOptions = {}) {
    super('NOT_FOUND', message, options)
  }
}

export class PortInUseError extends StorybookError {
  constructor(port: number, holder: {pid: number; command: string} | undefined, options: StorybookErrorOptions = {}) {
    const who = holder ? ` by PID ${holder.pid} (${holder.command})` : ''
    super('PORT_IN_USE', `Port ${port} is already in use${who}.`, {
      ...options,
      details: {port, ...(holder ? {holder} : {}), ...options.details},
    })
  }
}

/** A program or service outside the toolkit failed; carries what was run. */
export class ExternalError extends StorybookError {
  constructor(message: string, options: StorybookErrorOptions & {command?: string} = {}) {
    super('EXTERNAL_FAILED', message, {
      ...options,
      details: {...(options.command ? {command: options.command} : {}), ...options.details},
    })
  }
}

/** A broken invariant. Shown with a request to report it. */
export class BugError extends StorybookError {
  constructor(message: string, options: StorybookErrorOptions = {}) {
    super('INTERNAL', message, options)
  }
}

/** The error envelope used by `--json` output and by API bodies. */
export interface ErrorDocument {
  error: {
    code: ErrorCode
    message: string
    reason?: string
    next?: string[]
    details: Record<string, unknown>
  }
}

/** Turns any thrown value into a StorybookError; unknown errors become INTERNAL. */
export function toStorybookError(error: unknown): StorybookError {
  if (error instanceof StorybookError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new BugError(message || 'Unknown error', {cause: error})
}

/**
 * A copy of `error` (same class, message, stack and cause) whose next steps are passed through
 * `format`: the CLI writes them the way the user's shell runs storybook (see cli/invocation.ts).
 */
export function mapNextSteps<E extends StorybookError>(error: E, format: (step: string) => string): E {
  const next = error.next.map((step) => format(step))
  if (next.every((step, index) => step === error.next[index])) return error
  const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as E
  Object.defineProperty(copy, 'next', {value: next, enumerable: true})
  return copy
}

/** The JSON error document. `exposeInternals: false` hides INTERNAL messages (API 5xx bodies). */
export function toErrorDocument(error: StorybookError, exposeInternals = true): ErrorDocument {
  const hide = !exposeInternals && error.httpStatus >= 500
  return {
    error: {
      code: error.code,
      message: hide ? ERROR_CODES[error.code].summary : error.message,
      ...(error.reason && !hide ? {reason: error.reason} : {}),
      ...(error.next.length > 0 ? {next: error.next} : {}),
      details: hide ? {} : error.details,
    },
  }
}
