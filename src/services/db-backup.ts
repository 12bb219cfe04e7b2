// `db backup` and `db restore`: consistent online backups in the state directory (timestamped,
// the newest N kept) and restores that validate the file first and keep a safety copy.
import {randomBytes} from 'node:crypto'
import {chmod, copyFile, link, mkdir, open, readdir, rm, stat} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {MIGRATIONS} from '../../migrations/index.js'
import type {AppConfig} from '../core/config/load.js'
import {databaseExists} from '../core/db/connection.js'
import type {Migration} from '../core/db/migrator.js'
import {BugError, StorybookError, NotFoundError} from '../core/errors.js'
import type {DatabaseGuard} from './db-guard.js'
import type {StartedService} from './start-services.js'

export interface BackupResult {
  dialect: 'sqlite' | 'postgres'
  file: string
  bytes: number
  /** Older backups removed to keep the newest `keep`. */
  removed: string[]
}

/** `<prefix>-YYYYMMDD-HHMMSS[-n].<ext>`: time, then a counter for backups within the same second. */
const BACKUP_NAME = /^(storybook|pre-restore)-(\d{8}-\d{6})(?:-(\d+))?\.(?:db|dump)$/

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

/** Backups hold password and session hashes: readable by their owner only. */
const FILE_MODE = 0o600
const FOLDER_MODE = 0o700

/** The first bytes of a complete backup of each kind (a SQLite file, a pg_dump custom archive). */
const MAGIC: Record<string, Buffer> = {db: Buffer.from('SQLite format 3\0'), dump: Buffer.from('PGDMP')}

/** The backups folder, created (or narrowed) to its owner only. */
async function backupsFolder(config: AppConfig): Promise<string> {
  const directory = config.state.backups
  await mkdir(directory, {recursive: true, mode: FOLDER_MODE})
  await chmod(directory, FOLDER_MODE)
  return directory
}

/**
 * Gives the finished file at `partial` its final name, the first free one for `now`: link() fails
 * when the name exists, so two backups in the same second (or from two processes) never collide,
 * and a backup name never points to an incomplete file.
 */
async function publish(partial: string, prefix: string, extension: string, now: Date): Promise<string> {
  const base = join(dirname(partial), `${prefix}-${stamp(now)}`)
  for (let attempt = 0; ; attempt++) {
    const path = `${base}${attempt === 0 ? '' : `-${attempt}`}.${extension}`
    try {
      await link(partial, path)
      await rm(partial, {force: true})
      return path
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}

/** A temporary name in `directory`, unique to this process and call, that no listing counts as a backup. */
function temporaryIn(directory: string, prefix: string): string {
  return join(directory, `.${prefix}.${process.pid}.${randomBytes(4).toString('hex')}.partial`)
}

/**
 * Whether `file` is a whole backup: named as one and starting as its kind does. An empty file
 * left by an interrupted older version, or one removed meanwhile by a concurrent prune, is not.
 */
function isCompleteBackup(file: string): Promise<boolean> {
  return startsAs(file, file.slice(file.lastIndexOf('.') + 1))
}

async function startsAs(file: string, extension: string): Promise<boolean> {
  const magic = MAGIC[extension]
  if (!magic) return false
  try {
    const handle = await open(file, 'r')
    try {
      const {buffer, bytesRead} = await handle.read(Buffer.alloc(magic.length), 0, magic.length, 0)
      return bytesRead === magic.length && buffer.equals(magic)
    } finally {
      await handle.close()
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

/** Complete backups of one kind, newest first (by time, then by counter: `-10` is newer than `-2`). */
export async function backupsNewestFirst(directory: string, prefix: string): Promise<string[]> {
  const entries = (await readdir(directory))
    .map((name) => ({name, match: BACKUP_NAME.exec(name)}))
    .filter((entry) => entry.match?.[1] === prefix)
  const complete = await Promise.all(entries.map((entry) => isCompleteBackup(join(directory, entry.name))))
  return entries
    .filter((_entry, index) => complete[index])
    .sort((a, b) => {
      const [, , timeA = '', counterA = '0'] = a.match as RegExpExecArray
      const [, , timeB = '', counterB = '0'] = b.match as RegExpExecArray
      return timeA === timeB ? Number(counterB) - Number(counterA) : timeB.localeCompare(timeA)
    })
    .map((entry) => entry.name)
}

export async function backupDatabase(options: {
  config: AppConfig
  keep: number
  now?: () => Date
}): Promise<BackupResult> {
  const {config} = options
  const now = (options.now ?? (() => new Date()))()
  if (!databaseExists(config.database)) {
    throw new NotFoundError('There is no database to back up yet.', {next: ['storybook db migrate']})
  }
  const directory = await backupsFolder(config)
  const {file, bytes} = await writeBackup(config, 'storybook', now)
  const removed = await pruneBackups(directory, 'storybook', options.keep)
  return {dialect: config.database.dialect, file, bytes, removed}
}

/** A complete, checked copy of the database under a temporary name, then published under its own. */
async function writeBackup(config: AppConfig, prefix: string, now: Date): Promise<{file: string; bytes: number}> {
  const extension = config.database.dialect === 'sqlite' ? 'db' : 'dump'
  const partial = temporaryIn(config.state.backups, prefix)
  try {
    await copyDatabaseTo(config, partial)
    if (!(await startsAs(partial, extension))) {
      throw new BugError(`The backup written to ${partial} does not start as a ${extension} file does.`)
    }
    await chmod(partial, FILE_MODE)
    // Measured before publishing: a concurrent prune may remove the file as soon as it has its name.
    const {size} = await stat(partial)
    return {file: await publish(partial, prefix, extension, now), bytes: size}
  } finally {
    await rm(partial, {force: true})
  }
}
/** A consistent copy of the current database at `file`, checked (SQLite) or complete (pg_dump's exit). */
async function copyDatabaseTo(config: AppConfig, file: string): Promise<void> {
  if (config.database.dialect === 'sqlite') {
    const {backupSqlite} = await import('../core/db/sqlite.js')
    backupSqlite(config.database.file, file, `${file}.vacuum`)
    return
  }
  const {runPostgresTool} = await import('../core/db/postgres.js')
  await runPostgresTool('pg_dump', ['--format=custom', '--file', file], config.database.url)
}

/**
 * Keeps the newest `keep` complete backups of one kind, removing the rest. Files may vanish under
 * a concurrent prune: removing one already gone is no error.
 */
export async function pruneBackups(directory: string, prefix: string, keep: number): Promise<string[]> {
  const removed = (await backupsNewestFirst(directory, prefix))
    .slice(Math.max(keep, 1))
    .map((name) => join(directory, name))
  for (const file of removed) await rm(file, {force: true})
  return removed
}

/** How many safety copies restores keep. */
const SAFETY_COPIES_KEPT = 10

export interface RestoreResult {
  dialect: 'sqlite' | 'postgres'
  restoredFrom: string
  /** The copy of the database as it was before the restore, or null when there was none. */
  safetyCopy: string | null
  /** Migrations of this code that the restored database has not applied yet (`storybook db migrate`). */
  pending: string[]
  /** Services stopped for the restore (--force) and started again. */
  restarted: StartedService[]
}

export interface RestoreOptions {
  config: AppConfig
  file: string
  /**
   * Runs the safety copy and the swap with no service using the database (refusing, or with --force
   * stopping and restarting them): a copy taken while the API still writes misses what it
   * acknowledges before the swap.
   */
  guard: Pick<DatabaseGuard, 'run'>
  /** The migrations this code knows; the built-in list unless a test passes its own. */
  migrations?: readonly Migration[]
  now?: () => Date
}

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const {config, file} = options
  const now = (options.now ?? (() => new Date()))()
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file')
  } catch {
    throw new NotFoundError(`The backup file ${file} does not exist or is not a file.`, {
      next: [`ls ${config.state.backups}`],
    })
  }
  const pending = compareMigrations(
    file,
    await validateBackup(config, file),
    (options.migrations ?? MIGRATIONS).map((migration) => migration.name),
  )
  const {result: safetyCopy, restarted} = await options.guard.run(async () => {
    await backupsFolder(config)
    const copy = databaseExists(config.database) ? await takeSafetyCopy(config, now) : null
    await replaceDatabase(config, file)
    return copy
  })
  await pruneBackups(config.state.backups, 'pre-restore', SAFETY_COPIES_KEPT)
  return {dialect: config.database.dialect, restoredFrom: file, safetyCopy, pending, restarted}
}

/** The database's contents replaced by the backup's: SQLite through its backup API, PostgreSQL in one transaction. */
async function replaceDatabase(config: AppConfig, file: string): Promise<void> {
  if (config.database.dialect === 'sqlite') {
    const {restoreSqlite} = await import('../core/db/sqlite.js')
    await restoreSqlite(file, config.database.file)
    // A database restored where there was none is created by SQLite with the default mode.
    await chmod(config.database.file, FILE_MODE)
    return
  }
  const {restorePostgresArchive} = await import('../core/db/postgres.js')
  await restorePostgresArchive({file, url: config.database.url, prelude: DROP_ALL_TABLES}).catch((error: unknown) => {
    throw new StorybookError('EXTERNAL_FAILED', `The restore failed and was rolled back. ${(error as Error).message}`, {
      reason: 'The database is as it was before the restore.',
      next: ['storybook db status', 'storybook diagnose'],
      cause: error,
    })
  })
}

/**
 * The current database, kept before it is replaced. A database too damaged to copy through SQLite
 * is kept byte for byte instead: the restore is most needed exactly then.
 */
async function takeSafetyCopy(config: AppConfig, now: Date): Promise<string> {
  try {
    return (await writeBackup(config, 'pre-restore', now)).file
  } catch (error) {
    if (config.database.dialect !== 'sqlite') throw error
    return keepDamagedDatabase(config.state.backups, config.database.file, now)
  }
}

/** A SQLite database too damaged to copy through SQLite, kept byte for byte with its WAL. */
async function keepDamagedDatabase(directory: string, database: string, now: Date): Promise<string> {
  const partial = temporaryIn(directory, 'pre-restore')
  try {
    await copyFile(database, partial)
    await chmod(partial, FILE_MODE)
    const copy = await publish(partial, 'pre-restore', 'db', now)
    // The WAL may hold the last commits; there is none when the database was closed cleanly.
    await copyFile(`${database}-wal`, `${copy}-wal`).then(
      () => chmod(`${copy}-wal`, FILE_MODE),
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      },
    )
    return copy
  } finally {
    await rm(partial, {force: true})
  }
}

/**
 * A backup must be readable, intact, and a Storybook database, before anything is touched: the
 * names of the migrations applied in it.
 */
async function validateBackup(config: AppConfig, file: string): Promise<string[]> {
  if (config.database.dialect === 'sqlite') {
    const {checkSqliteFile, openSqliteFile} = await import('../core/db/sqlite.js')
    const problem = checkSqliteFile(file)
    if (problem) {
      throw new StorybookError('VALIDATION_FAILED', `${file} is not a usable backup: ${problem}.`, {
        reason: 'Nothing was changed.',
        next: [`ls ${config.state.backups}`],
      })
    }
    const database = openSqliteFile(file, {create: false, readonly: true})
    try {
      const tracked = database
        .prepare("select 1 from sqlite_master where type = 'table' and name = 'storybook_migrations'")
        .get()
      if (!tracked) {
        throw new StorybookError(
          'VALIDATION_FAILED',
          `${file} is a SQLite database, but not a Storybook one (no storybook_migrations table).`,
          {
            reason: 'Nothing was changed.',
            next: [`ls ${config.state.backups}`],
          },
        )
      }
      const rows = database.prepare('select name from storybook_migrations').all() as Array<{name: string}>
      return rows.map((row) => row.name)
    } finally {
      database.close()
    }
  }
  return validatePostgresArchive(config, file)
}

/**
 * The backup's migrations against this code's: a backup with migrations this code does not know
 * was made by a newer version, and restoring it would leave drift no command can clear.
 */
function compareMigrations(file: string, applied: string[], known: readonly string[]): string[] {
  const unknown = applied.filter((name) => !known.includes(name))
  if (unknown.length > 0) {
    throw new StorybookError(
      'VALIDATION_FAILED',
      `${file} was made by a newer Storybook: it has migrations this code does not know (${unknown.join(', ')}).`,
      {
        reason: 'Nothing was changed. Restore it with the version of the code that made it.',
        next: ['git pull', 'npm install', `storybook db restore ${file}`],
        details: {unknown},
      },
    )
  }
  return known.filter((name) => !applied.includes(name))
}

/**
 * `--clean` drops only what the dump holds; tables added since (by a later migration, say) would
 * stay or block the drops, so every table goes first, inside the restore's own transaction.
 */
const DROP_ALL_TABLES = `DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.tablename);
  END LOOP;
END $$;`

/**
 * A dump that `pg_restore --list` reads may still be cut short: only reading every block (into
 * /dev/null) proves it whole. Its table of contents must also hold our tracking table.
 */
async function validatePostgresArchive(config: AppConfig, file: string): Promise<string[]> {
  const {runPostgresTool} = await import('../core/db/postgres.js')
  const refuse = (message: string, error?: unknown) =>
    new StorybookError('VALIDATION_FAILED', message, {
      reason: `Nothing was changed.${error ? ` ${(error as Error).message}` : ''}`,
      next: [`ls ${config.state.backups}`],
      cause: error,
    })
  const contents = await runPostgresTool('pg_restore', ['--list', file], undefined).catch((error: unknown) => {
    throw refuse(`${file} is not a pg_dump archive that pg_restore can read.`, error)
  })
  await runPostgresTool('pg_restore', ['--file', '/dev/null', file], undefined).catch((error: unknown) => {
    throw refuse(`${file} is damaged or incomplete: pg_restore cannot read all of it.`, error)
  })
  const tables = new Set(
    contents
      .split('\n')
      .map((line) => /^\d+; \d+ \d+ TABLE \S+ (\S+) /.exec(line)?.[1])
      .filter((name) => name !== undefined),
  )
  const missing = ['storybook_migrations', 'users'].filter((table) => !tables.has(table))
  if (missing.length > 0) {
    throw refuse(`${file} is a pg_dump archive, but not a Storybook one (no ${missing.join(' or ')} table).`)
  }
  const data = await runPostgresTool(
    'pg_restore',
    ['--data-only', '--table', 'storybook_migrations', '--file', '-', file],
    undefined,
  )
  return migrationNamesInCopy(data)
}

/** The `name` column of the COPY block of storybook_migrations in a pg_restore script. */
function migrationNamesInCopy(script: string): string[] {
  const lines = script.split('\n')
  const start = lines.findIndex((line) => /^COPY \S*storybook_migrations \(/.test(line))
  if (start === -1) return []
  const columns = (/\(([^)]*)\)/.exec(lines[start] as string)?.[1] ?? '').split(',').map((column) => column.trim())
  const nameColumn = columns.indexOf('name')
  const names: string[] = []
  for (const line of lines.slice(start + 1)) {
    if (line === '\\.') break
    names.push(line.split('\t')[nameColumn] ?? '')
  }
  return names
}
