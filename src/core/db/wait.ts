// Waiting for a database that is still starting (a container coming up next to the CLI), like
// dbmate's --wait: connection refused and PostgreSQL's "starting up" are retried with backoff until
// a deadline; every other failure (a wrong password, a missing database) is reported at once.
import type {DatabaseConfig} from '../config/load.js'
import {StorybookError} from '../errors.js'
import {asDatabaseError, openDatabase, type OpenOptions} from './connection.js'
import type {DatabaseHandle} from './handle.js'

/** Network errors of a server not listening yet, and SQLSTATEs of one not accepting connections yet. */
const NOT_READY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P03', // cannot_connect_now: the database system is starting up (or shutting down, recovering)
])

/** Whether opening failed only because the server is not ready yet. */
export function isNotReadyYet(error: unknown): boolean {
  for (let cause: unknown = error; cause; cause = (cause as {cause?: unknown}).cause) {
    const code = (cause as {code?: unknown}).code
    if (typeof code === 'string' && NOT_READY_CODES.has(code)) return true
    if (cause instanceof Error && /the database system is starting up/i.test(cause.message)) return true
  }
  return false
}

export interface WaitOptions {
  /** How long to keep trying, in milliseconds. */
  timeoutMs: number
  /** Called once, with the first error, when the database is not ready and waiting starts. */
  onWait?: (error: unknown) => void
  /** Effects, for tests: the clock and the pause between attempts. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  open?: (config: DatabaseConfig, options: OpenOptions) => Promise<DatabaseHandle>
}

/** Opens the database, retrying while it is still starting; after the deadline, the last error is thrown. */
export async function openDatabaseWhenReady(
  config: DatabaseConfig,
  openOptions: OpenOptions,
  options: WaitOptions,
): Promise<DatabaseHandle> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const open = options.open ?? openDatabase
  const deadline = now() + options.timeoutMs
  let pause = 100
  for (let attempt = 0; ; attempt++) {
    try {
      return await open(config, openOptions)
    } catch (error) {
      const left = deadline - now()
      if (!isNotReadyYet(error) || left <= 0) throw withWaitNote(error, attempt, options.timeoutMs)
      if (attempt === 0) options.onWait?.(error)
      await sleep(Math.min(pause, left))
      pause = Math.min(pause * 2, 2_000)
    }
  }
}

/** The connection error as it is, plus how long it was waited for, so the message does not look instant. */
function withWaitNote(error: unknown, attempt: number, timeoutMs: number): unknown {
  if (attempt === 0 || !(error instanceof StorybookError)) return error
  return new StorybookError(error.code, error.message, {
    reason: `${error.reason ? `${error.reason} ` : ''}Waited ${Math.round(timeoutMs / 1000)} s (--wait-timeout) for it.`,
    next: error.next,
    details: {...error.details, waitedMs: timeoutMs},
    cause: error.cause,
  })
}

/** withDatabase, waiting for the database first when `wait` is given. */
export async function withDatabaseWhenReady<T>(
  config: DatabaseConfig,
  openOptions: OpenOptions,
  wait: WaitOptions | undefined,
  work: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const handle = wait ? await openDatabaseWhenReady(config, openOptions, wait) : await openDatabase(config, openOptions)
  try {
    return await work(handle)
  } catch (error) {
    throw asDatabaseError(error)
  } finally {
    await handle.close()
  }
}
