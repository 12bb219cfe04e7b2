// Everything SQLite-specific: the better-sqlite3 connection (WAL, foreign keys, busy timeout; its
// kysely driver is sqlite-driver.ts), the migration lock, introspection and online backup.
import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql, type Dialect} from 'kysely'
import type {QueryObserver} from './connection.js'
import {queryLog} from './query-log.js'
import type BetterSqlite3 from 'better-sqlite3'
import {StorybookError} from '../errors.js'
import type {DatabaseHandle, SchemaSnapshot} from './handle.js'
import {GroupCommitSqliteDriver} from './sqlite-driver.js'
import type {Database} from './types.js'

const BUSY_TIMEOUT_MS = 5_000

/** better-sqlite3 is a native module: loaded on first use, never at CLI start-up. */
export function loadDriver(): typeof BetterSqlite3 {
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
export function openSqliteFile(
  file: string,
  options: {create: boolean; readonly?: boolean; timeoutMs?: number},
): BetterSqlite3.Database {
  const Driver = loadDriver()
  const memory = file === ':memory:'
  if (options.create && !memory) {
    try {
      mkdirSync(dirname(file), {recursive: true})
    } catch (error) {
      throw new StorybookError(
        'FILE_SYSTEM',
        `Cannot create the folder of the database ${file}: ${(error as NodeJS.ErrnoException).code ?? error}.`,
        {
          reason: 'Part of that path is a file, or the folder is not writable.',
          next: ['storybook env show', `ls -ld ${dirname(file)}`],
          cause: error,
        },
      )
    }
  }
  // It holds password and session hashes: created readable by its owner only. SQLite gives its
  // -wal and -shm files the mode of the database file, and takes an empty file as a new database.
  if (options.create && !memory && !existsSync(file)) {
    try {
      closeSync(openSync(file, 'wx', 0o600))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw sqliteOpenError(file, error)
    }
  }
  let database: BetterSqlite3.Database
  try {
    database = new Driver(file, {
      fileMustExist: !options.create && !memory,
      readonly: options.readonly ?? false,
      timeout: options.timeoutMs ?? BUSY_TIMEOUT_MS,
    })
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
  const readonly = code === 'SQLITE_READONLY' || code === 'SQLITE_READONLY_DBMOVED' || code === 'SQLITE_CANTOPEN'
  return new StorybookError(
    'DATABASE_UNAVAILABLE',
    `Cannot open the SQLite database ${file}: ${(error as Error).message}.`,
    {
      reason: readonly
        ? 'The file or its folder is missing, or not writable by this user (SQLite also writes -wal and -shm files beside it).'
        : undefined,
      next: readonly ? [`ls -l ${dirname(file)}`, 'storybook diagnose'] : ['storybook diagnose'],
      cause: error,
    },
  )
}

function sqliteDialect(database: BetterSqlite3.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new GroupCommitSqliteDriver(database),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  }
}

export function openSqlite(
  file: string,
  options: {create: boolean; readonly?: boolean; timeoutMs?: number; onQuery?: QueryObserver},
): DatabaseHandle {
  const database = openSqliteFile(file, options)
  const db = new Kysely<Database>({dialect: sqliteDialect(database), ...queryLog(options.onQuery)})
  return {
    db,
    dialect: 'sqlite',
    target: file,
    // An in-memory database has one connection, in this process: there is no one to lock out.
    acquireMigrationLock: async (timeoutMs, onWait) =>
      file === ':memory:' ? async () => {} : acquireFileLock(`${file}.migrate-lock`, timeoutMs, onWait),
    migrationTransaction: async (work) => {
      // PRAGMA foreign_keys cannot change inside a transaction, so it is switched around it,
      // through kysely: writes already queued are committed first, with foreign keys on.
      await sql`pragma foreign_keys = off`.execute(db)
      try {
        await db.transaction().execute(async (transaction) => {
          await work(transaction)
          const violations = database.pragma('foreign_key_check') as Array<{table: string; parent: string}>
          if (violations.length > 0) {
            const first = violations[0] as {table: string; parent: string}
            throw new Error(
              `${violations.length} row(s) break a foreign key (first: ${first.table} -> ${first.parent})`,
            )
          }
        })
      } finally {
        await sql`pragma foreign_keys = on`.execute(db)
      }
    },
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
export function acquireFileLock(lockFile: string, timeoutMs: number, onWait?: () => void): () => Promise<void> {
  const Driver = loadDriver()
  let lock: BetterSqlite3.Database
  try {
    lock = new Driver(lockFile, {timeout: 0})
  } catch (error) {
    throw sqliteOpenError(lockFile, error)
  }
  try {
    try {
      lock.exec('begin exclusive')
    } catch (error) {
      if ((error as {code?: string}).code !== 'SQLITE_BUSY') throw error
      onWait?.()
      lock.pragma(`busy_timeout = ${timeoutMs}`)
      lock.exec('begin exclusive')
    }
  } catch (error) {
    lock.close()
    if ((error as {code?: string}).code === 'SQLITE_BUSY') {
      throw new StorybookError(
        'TIMEOUT',
        `Another migration has held the database lock for more than ${timeoutMs} ms.`,
        {
          reason: `The lock is ${lockFile}; another storybook db command is probably still running.`,
          next: ['storybook db status'],
          cause: error,
        },
      )
    }
    throw sqliteOpenError(lockFile, error)
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
    const columns = database.prepare(`pragma table_info(${quoted})`).all() as Array<{
      name: string
      notnull: number
      pk: number
    }>
    const indexes = database.prepare(`pragma index_list(${quoted})`).all() as Array<{name: string; origin: string}>
    const indexColumns = (index: string) =>
      (database.prepare(`pragma index_info(${quoteIdentifier(index)})`).all() as Array<{seqno: number; name: string}>)
        .sort((a, b) => a.seqno - b.seqno)
        .map((column) => column.name)
        .join(',')
    const foreignKeys = database.prepare(`pragma foreign_key_list(${quoted})`).all() as Array<{
      from: string
      table: string
      to: string | null
      on_delete: string
    }>
    const primaryKey = columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk)
    snapshot.tables[name] = {
      columns: columns.map((column) => column.name),
      // SQLite lets primary key columns hold NULL unless declared NOT NULL; PostgreSQL never does.
      notNull: columns
        .filter((column) => column.notnull === 1 || column.pk > 0)
        .map((column) => column.name)
        .sort(),
      primaryKey: primaryKey.map((column) => column.name),
      // origin "c": made by CREATE INDEX; "u": a UNIQUE constraint; "pk": the primary key
      unique: indexes
        .filter((index) => index.origin === 'u')
        .map((index) => indexColumns(index.name))
        .sort(),
      indexes: indexes
        .filter((index) => index.origin === 'c')
        .map((index) => `${index.name}(${indexColumns(index.name)})`)
        .sort(),
      foreignKeys: foreignKeys
        .map((key) => `${key.from}->${key.table}.${key.to ?? 'id'} on delete ${key.on_delete.toLowerCase()}`)
        .sort(),
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
export function backupSqlite(
  source: string,
  destination: string,
  temporary = `${destination}.partial`,
): SqliteBackupResult {
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

/**
 * Restores `source` into `target` through SQLite's online backup API: other connections see the
 * new contents instead of writing into a file that was swapped away under them, and the WAL of
 * both files is handled by SQLite. A target too damaged to open is replaced whole.
 */
export async function restoreSqlite(source: string, target: string): Promise<void> {
  mkdirSync(dirname(target), {recursive: true})
  const from = openSqliteFile(source, {create: false, readonly: true})
  try {
    try {
      await from.backup(target)
    } catch (error) {
      const code = (error as {code?: string}).code
      if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') throw error
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, {force: true})
      await from.backup(target)
    }
  } catch (error) {
    throw new StorybookError('DATABASE_UNAVAILABLE', `Restoring into ${target} failed: ${(error as Error).message}.`, {
      next: ['storybook diagnose'],
      cause: error,
    })
  } finally {
    from.close()
  }
  const problem = checkSqliteFile(target)
  if (problem) {
    throw new StorybookError('DATABASE_UNAVAILABLE', `The restored database failed its check: ${problem}.`, {
      next: ['storybook diagnose'],
    })
  }
}
