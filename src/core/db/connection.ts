// Opens the configured database: SQLite for `sqlite:<file>`, PostgreSQL for `postgres://…`.
// The dialect modules are loaded on demand so the CLI never pays for a driver it does not use.
import {existsSync} from 'node:fs'
import type {DatabaseConfig} from '../config/load.js'
import {StorybookError} from '../errors.js'
import type {DatabaseHandle} from './handle.js'

export interface OpenOptions {
  /** Create the SQLite file (and its folder) when missing. Off for read-only commands. */
  create: boolean
  /** Open SQLite read-only (status, backup): works on a read-only state directory, changes nothing. */
  readonly?: boolean
  /**
   * How long a statement may wait: for SQLite on another connection's lock (default 5 s), for
   * PostgreSQL in all (default none). The doctor keeps both short so that it answers on time.
   */
  timeoutMs?: number
  /** Told of every statement with its duration (the API's query timings). */
  onQuery?: QueryObserver
}

export type QueryObserver = (query: {sql: string; durationMs: number; failed: boolean}) => void

export async function openDatabase(config: DatabaseConfig, options: OpenOptions): Promise<DatabaseHandle> {
  if (config.dialect === 'sqlite') {
    const {openSqlite} = await import('./sqlite.js')
    return openSqlite(config.file, options)
  }
  const {openPostgres} = await import('./postgres.js')
  return openPostgres(config.url, options.timeoutMs, options.onQuery)
}

/** False only for a SQLite file that does not exist yet (a server database always "exists"). */
export function databaseExists(config: DatabaseConfig): boolean {
  return config.dialect === 'postgres' || existsSync(config.file)
}

/** Opens the database, runs `work`, and always closes it. */
export async function withDatabase<T>(
  config: DatabaseConfig,
  options: OpenOptions,
  work: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase(config, options)
  try {
    return await work(handle)
  } catch (error) {
    throw asDatabaseError(error)
  } finally {
    await handle.close()
  }
}

/** A driver error (SQLITE_*, a PostgreSQL SQLSTATE) is about the database, not a bug in the toolkit. */
export function asDatabaseError(error: unknown): unknown {
  if (error instanceof StorybookError || !(error instanceof Error)) return error
  const code = (error as {code?: unknown}).code
  if (typeof code !== 'string' || !(/^SQLITE_/.test(code) || /^[0-9A-Z]{5}$/.test(code))) return error
  const permission = code === '42501' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM'
  return new StorybookError('DATABASE_UNAVAILABLE', `The database refused the operation: ${error.message} (${code}).`, {
    reason: permission ? 'The database user or the file permissions do not allow it.' : undefined,
    next: ['storybook diagnose'],
    cause: error,
  })
}

/** A network error, or PostgreSQL shutting down, starting or dropping the connection (SQLSTATE 57P0x, 08xxx). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'])
const UNREACHABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/

/**
 * The database could not be reached for this request (it went away, restarts, or is starting): a 503 the
 * client may retry, not a bug. The pool connects again by itself on a later request.
 */
export function databaseUnreachable(error: unknown): StorybookError | undefined {
  if (!(error instanceof Error)) return undefined
  const code = (error as {code?: unknown}).code
  const unreachable =
    (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^(57P0[1-3]|08\d\d\d)$/.test(code))) ||
    UNREACHABLE_MESSAGES.test(error.message)
  if (!unreachable) return undefined
  return new StorybookError('DATABASE_UNAVAILABLE', 'The database cannot be reached just now; try again shortly.', {
    next: ['storybook diagnose'],
    cause: error,
  })
}
