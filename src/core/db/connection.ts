// Opens the configured database: SQLite for `sqlite:<file>`, PostgreSQL for `postgres://…`.
// The dialect modules are loaded on demand so the CLI never pays for a driver it does not use.
import {existsSync} from 'node:fs'
import type {DatabaseConfig} from '../config/load.js'
import type {DatabaseHandle} from './handle.js'

export interface OpenOptions {
  /** Create the SQLite file (and its folder) when missing. Off for read-only commands. */
  create: boolean
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions): Promise<DatabaseHandle> {
  if (config.dialect === 'sqlite') {
    const {openSqlite} = await import('./sqlite.js')
    return openSqlite(config.file, options)
  }
  const {openPostgres} = await import('./postgres.js')
  return openPostgres(config.url)
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
  } finally {
    await handle.close()
  }
}
