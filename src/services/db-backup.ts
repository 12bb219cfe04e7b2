// `db backup` and `db restore`: consistent online backups in the state directory (timestamped,
// the newest N kept) and restores that validate the file first and keep a safety copy.
import {copyFile, mkdir, readdir, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import type {AppConfig} from '../core/config/load.js'
import {databaseExists} from '../core/db/connection.js'
import {StorybookError, NotFoundError} from '../core/errors.js'

export interface BackupResult {
  dialect: 'sqlite' | 'postgres'
  file: string
  bytes: number
  /** Older backups removed to keep the newest `keep`. */
  removed: string[]
}

const BACKUP_NAME = /^storybook-\d{8}-\d{6}(?:-\d+)?\.(?:db|dump)$/

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

/** A fresh file name in `directory`: `<prefix>-YYYYMMDD-HHMMSS[-n].<extension>`. */
async function freshName(directory: string, prefix: string, extension: string, now: Date): Promise<string> {
  const existing = new Set(await readdir(directory))
  const base = `${prefix}-${stamp(now)}`
  for (let attempt = 0; ; attempt++) {
    const name = `${base}${attempt === 0 ? '' : `-${attempt}`}.${extension}`
    if (!existing.has(name)) return join(directory, name)
  }
}

export async function backupDatabase(options: {config: AppConfig; keep: number; now?: () => Date}): Promise<BackupResult> {
  const {config} = options
  const now = (options.now ?? (() => new Date()))()
  if (!databaseExists(config.database)) {
    throw new NotFoundError('There is no database to back up yet.', {next: ['storybook db migrate']})
  }
  const directory = config.state.backups
  await mkdir(directory, {recursive: true})
  let result: {file: string; bytes: number}
  if (config.database.dialect === 'sqlite') {
    const {backupSqlite} = await import('../core/db/sqlite.js')
    result = backupSqlite(config.database.file, await freshName(directory, 'storybook', 'db', now))
  } else {
    const {runPostgresTool} = await import('../core/db/postgres.js')
    const file = await freshName(directory, 'storybook', 'dump', now)
    const partial = `${file}.partial`
    try {
      await runPostgresTool('pg_dump', ['--format=custom', '--file', partial], config.database.url)
      await rename(partial, file)
    } finally {
      await rm(partial, {force: true})
    }
    result = {file, bytes: (await stat(file)).size}
  }
  const removed = await pruneBackups(directory, options.keep)
  return {dialect: config.database.dialect, ...result, removed}
}

/** Keeps the newest `keep` backups (names sort by time), removing the rest. */
async function pruneBackups(directory: string, keep: number): Promise<string[]> {
  const backups = (await readdir(directory)).filter((name) => BACKUP_NAME.test(name)).sort().reverse()
  const removed = backups.slice(Math.max(keep, 1)).map((name) => join(directory, name))
  for (const file of removed) await rm(file, {force: true})
  return removed
}

export interface RestoreResult {
  dialect: 'sqlite' | 'postgres'
  restoredFrom: string
  /** The copy of the database as it was before the restore, or null when there was none. */
  safetyCopy: string | null
}

export interface RestoreOptions {
  config: AppConfig
  file: string
  force: boolean
  /** Names of running services that use the database (restoring under them would corrupt it). */
  runningServices: () => Promise<string[]>
  now?: () => Date
}

export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const {config, file} = options
  const now = (options.now ?? (() => new Date()))()
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file')
  } catch {
    throw new NotFoundError(`The backup file ${file} does not exist or is not a file.`, {next: [`ls ${config.state.backups}`]})
  }
  await validateBackup(config, file)
  const running = await options.runningServices()
  if (running.length > 0 && !options.force) {
    throw new StorybookError('CONFLICT', `Refusing to restore while ${running.join(', ')} ${running.length === 1 ? 'is' : 'are'} running.`, {
      reason: 'Replacing the database under a running service can corrupt it or lose its writes.',
      next: ['storybook stop', `storybook db restore ${file}`, `storybook db restore ${file} --force`],
      details: {running},
    })
  }
  await mkdir(config.state.backups, {recursive: true})
  if (config.database.dialect === 'sqlite') {
    const {backupSqlite, checkSqliteFile} = await import('../core/db/sqlite.js')
    const target = config.database.file
    let safetyCopy: string | null = null
    if (databaseExists(config.database)) {
      safetyCopy = (await freshName(config.state.backups, 'pre-restore', 'db', now))
      backupSqlite(target, safetyCopy)
    }
    await mkdir(dirname(target), {recursive: true})
    const temporary = join(dirname(target), `.${basename(target)}.restoring`)
    await copyFile(file, temporary)
    // The old WAL and shared-memory files belong to the old database: left in place, SQLite
    // would replay them into the restored one.
    await rm(`${target}-wal`, {force: true})
    await rm(`${target}-shm`, {force: true})
    await rename(temporary, target)
    const problem = checkSqliteFile(target)
    if (problem) {
      throw new StorybookError('DATABASE_UNAVAILABLE', `The restored database failed its check: ${problem}.`, {
        next: safetyCopy ? [`storybook db restore ${safetyCopy}`] : ['storybook db reset --yes'],
      })
    }
    return {dialect: 'sqlite', restoredFrom: file, safetyCopy}
  }
  const {runPostgresTool} = await import('../core/db/postgres.js')
  const safetyCopy = await freshName(config.state.backups, 'pre-restore', 'dump', now)
  await runPostgresTool('pg_dump', ['--format=custom', '--file', safetyCopy], config.database.url)
  await runPostgresTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', file], config.database.url)
  return {dialect: 'postgres', restoredFrom: file, safetyCopy}
}

/** A backup must be readable, intact, and a Storybook database, before anything is touched. */
async function validateBackup(config: AppConfig, file: string): Promise<void> {
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
      const tracked = database.prepare("select 1 from sqlite_master where type = 'table' and name = 'storybook_migrations'").get()
      if (!tracked) {
        throw new StorybookError('VALIDATION_FAILED', `${file} is a SQLite database, but not a Storybook one (no storybook_migrations table).`, {
          reason: 'Nothing was changed.',
          next: [`ls ${config.state.backups}`],
        })
      }
    } finally {
      database.close()
    }
    return
  }
  const {runPostgresTool} = await import('../core/db/postgres.js')
  await runPostgresTool('pg_restore', ['--list', file], undefined).catch((error: unknown) => {
    throw new StorybookError('VALIDATION_FAILED', `${file} is not a pg_dump archive that pg_restore can read.`, {
      reason: `Nothing was changed. ${(error as Error).message}`,
      next: [`ls ${config.state.backups}`],
      cause: error,
    })
  })
}
