// Everything SQLite-specific: the better-sqlite3 connection (WAL, foreign keys, busy timeout,
// writers that start with BEGIN IMMEDIATE), the migration lock, introspection and online backup.
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
} from 'kysely'
import type BetterSqlite3 from 'better-sqlite3'
import {StorybookError} from '../errors.js'
import type {DatabaseHandle, SchemaSnapshot} from './handle.js'
import type {Database} from './types.js'

const BUSY_TIMEOUT_MS = 5_000

/** better-sqlite3 is a native module: loaded on first use, never at CLI start-up. */
function loadDriver(): typeof BetterSqlite3 {
  const require = createRequire(import.meta.url)
  try {
    return require('better-sqlite3') as typeof BetterSqlite3
  } catch (error) {
    throw new StorybookError('DATABASE_UNAVAILABLE', 'The SQLite driver (better-sqlite3) cannot be loaded.', {
      reason: `${(error as Error).message.split('\n')[0]}. Native modules must be rebuilt after a Node upgrade.`,
      next: ['npm rebuild better-sqlite3', 'storybook diagnose'],
      cause: error,
    })
  }
}

/** Opens the file (creating its folder when `create`) with the pragmas every connection needs. */
export function openSqliteFile(file: string, options: {create: boolean; readonly?: boolean}): BetterSqlite3.Database {
  const Driver = loadDriver()
  const memory = file === ':memory:'
  if (options.create && !memory) mkdirSync(dirname(file), {recursive: true})
  let database: BetterSqlite3.Database
  try {
    database = new Driver(file, {fileMustExist: !options.create && !memory, readonly: options.readonly ?? false, timeout: BUSY_TIMEOUT_MS})
    if (!options.readonly) database.pragma('journal_mode = WAL')
    database.pragma('foreign_keys = ON')
    database.pragma('synchronous = NORMAL')
  } catch (error) {
    throw sqliteOpenError(file, error)
  }
  return database
}

export function sqliteOpenError(file: string, error: unknown): StorybookError {
  const code = (error as {code?: string}).code
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StorybookError('DATABASE_UNAVAILABLE', `${file} is not a usable SQLite database (${code}).`, {
      reason: 'The file is damaged or is not a database at all.',
      next: ['storybook db restore <backup file>', 'storybook diagnose'],
      cause: error,
    })
  }
  return new StorybookError('DATABASE_UNAVAILABLE', `Cannot open the SQLite database ${file}: ${(error as Error).message}.`, {
    reason: code === 'SQLITE_CANTOPEN' ? 'The file or its folder is missing or not accessible.' : undefined,
    next: ['storybook db migrate', 'storybook diagnose'],
    cause: error,
  })
}

/** SQLite begins transactions deferred; a writer that upgrades later can fail with SQLITE_BUSY at once. */
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

function sqliteDialect(database: BetterSqlite3.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateTransactionDriver({database}),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  }
}

export function openSqlite(file: string, options: {create: boolean}): DatabaseHandle {
  const database = openSqliteFile(file, options)
  const db = new Kysely<Database>({dialect: sqliteDialect(database)})
  return {
    db,
    dialect: 'sqlite',
    target: file,
    acquireMigrationLock: async (timeoutMs) => acquireFileLock(`${file}.migrate-lock`, timeoutMs),
    introspect: async () => introspectSqlite(database),
    dropAllTables: async () => {
      const tables = Object.keys(introspectSqlite(database).tables)
      database.pragma('foreign_keys = OFF')
      try {
        database.transaction(() => {
          for (const table of tables) database.exec(`drop table if exists ${quoteIdentifier(table)}`)
        })()
      } finally {
        database.pragma('foreign_keys = ON')
      }
    },
    close: async () => {
      await db.destroy() // closes the better-sqlite3 database too
    },
  }
}

/**
 * A lock across processes: an exclusive transaction on a small side file. SQLite waits for it
 * (busy timeout) and the operating system drops it if the holder dies, so it never goes stale.
 */
function acquireFileLock(lockFile: string, timeoutMs: number): () => Promise<void> {
  const Driver = loadDriver()
  const lock = new Driver(lockFile, {timeout: timeoutMs})
  try {
    lock.exec('begin exclusive')
  } catch (error) {
    lock.close()
    throw new StorybookError('TIMEOUT', `Another migration has held the database lock for more than ${timeoutMs} ms.`, {
      reason: `The lock is ${lockFile}; another storybook db command is probably still running.`,
      next: ['storybook db status'],
      cause: error,
    })
  }
  return async () => {
    lock.exec('commit')
    lock.close()
  }
}

export function introspectSqlite(database: BetterSqlite3.Database): SchemaSnapshot {
  const tables = database
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .all() as Array<{name: string}>
  const snapshot: SchemaSnapshot = {tables: {}}
  for (const {name} of tables) {
    const quoted = quoteIdentifier(name)
    const columns = database.prepare(`pragma table_info(${quoted})`).all() as Array<{name: string}>
    const indexes = database.prepare(`pragma index_list(${quoted})`).all() as Array<{name: string; origin: string}>
    const foreignKeys = database.prepare(`pragma foreign_key_list(${quoted})`).all() as Array<{from: string; table: string; to: string | null}>
    snapshot.tables[name] = {
      columns: columns.map((column) => column.name),
      // origin "c": made by CREATE INDEX; "u"/"pk" back constraints and are named differently per dialect
      indexes: indexes.filter((index) => index.origin === 'c').map((index) => index.name).sort(),
      foreignKeys: foreignKeys.map((key) => `${key.from}->${key.table}.${key.to ?? 'id'}`).sort(),
    }
  }
  return snapshot
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

export interface SqliteBackupResult {
  file: string
  bytes: number
}

/**
 * A consistent copy while other processes write: VACUUM INTO a temporary file (one read
 * transaction, so one point in time), fsync, integrity_check, then rename into place.
 */
export function backupSqlite(source: string, destination: string): SqliteBackupResult {
  const temporary = `${destination}.partial`
  rmSync(temporary, {force: true})
  const database = openSqliteFile(source, {create: false, readonly: true})
  try {
    database.prepare('vacuum into ?').run(temporary)
  } catch (error) {
    rmSync(temporary, {force: true})
    throw new StorybookError('DATABASE_UNAVAILABLE', `Backup of ${source} failed: ${(error as Error).message}.`, {
      next: ['storybook diagnose'],
      cause: error,
    })
  } finally {
    database.close()
  }
  const descriptor = openSync(temporary, 'r')
  try {
    fsyncSync(descriptor)
  } finally {
    closeSync(descriptor)
  }
  const problem = checkSqliteFile(temporary)
  if (problem) {
    rmSync(temporary, {force: true})
    throw new StorybookError('DATABASE_UNAVAILABLE', `The backup failed its integrity check: ${problem}.`, {
      next: ['storybook diagnose'],
    })
  }
  renameSync(temporary, destination)
  fsyncDirectory(dirname(destination))
  return {file: destination, bytes: statSync(destination).size}
}

function fsyncDirectory(directory: string): void {
  const descriptor = openSync(directory, 'r')
  try {
    fsyncSync(descriptor)
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    closeSync(descriptor)
  }
}

/** Undefined when the file is a healthy SQLite database, else what is wrong with it. */
export function checkSqliteFile(file: string): string | undefined {
  if (!existsSync(file)) return 'the file does not exist'
  let database: BetterSqlite3.Database | undefined
  try {
    database = openSqliteFile(file, {create: false, readonly: true})
    const rows = database.pragma('integrity_check') as Array<{integrity_check: string}>
    const messages = rows.map((row) => row.integrity_check)
    return messages.length === 1 && messages[0] === 'ok' ? undefined : messages.slice(0, 5).join('; ')
  } catch (error) {
    const cause = (error as StorybookError).cause ?? error
    return `not a SQLite database (${(cause as Error).message})`
  } finally {
    database?.close()
  }
}
