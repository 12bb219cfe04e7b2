// Database: it opens, its pages are sound (SQLite), it journals in WAL mode, its migrations are
// current and unchanged, nobody holds its write lock, and the state directory has room to grow.
import {access, constants, statfs} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {sql} from 'kysely'
import {currentPlatform} from '../../../core/process/platform/index.js'
import type {Check, CheckFix} from '../check.js'
import type {DiagnoseContext} from '../context.js'
import {formatBytes} from '../../../core/output/bytes.js'
import {displayPath, nearestExisting} from './paths.js'

const DATABASE_VARIABLES = ['DATABASE_URL', 'STORYBOOK_STATE_DIR']
const MIGRATE = 'storybook db migrate'
const LOW_SPACE_BYTES = 500 * 1024 * 1024
const NO_SPACE_BYTES = 100 * 1024 * 1024

const isSqlite = ({config}: DiagnoseContext) => config.database.dialect === 'sqlite'

/** `db migrate`, applied in-process: creates the database or brings it up to date (and opens it in WAL mode). */
function migrateFix(context: DiagnoseContext): CheckFix {
  return {
    command: MIGRATE,
    apply: async () => {
      await context.close() // our read-only connection must not sit on the file while it changes
      const {migrateDatabase} = await import('../../db.js')
      const result = await migrateDatabase({config: context.config})
      return result.applied.length === 0 ? 'the database is up to date' : `applied ${result.applied.map((migration) => migration.name).join(', ')}`
    },
  }
}

export const databaseChecks: Check[] = [
  {
    id: 'db.reachable',
    title: 'database connection',
    category: 'database',
    budgetMs: 7_000,
    needs: DATABASE_VARIABLES,
    run: async (context) => {
      const {database, root} = {database: context.config.database, root: context.report.root}
      const started = performance.now()
      if (database.dialect === 'sqlite') {
        const name = displayPath(root, database.file)
        const exists = await access(database.file).then(() => true, () => false)
        if (!exists) return {status: 'fail', message: `there is no database yet at ${name}`, fix: migrateFix(context)}
      }
      try {
        const handle = await context.database()
        // Reading the schema makes SQLite read the file header: a file that is not a database fails here.
        await sql`select count(*) as tables from ${sql.raw(database.dialect === 'sqlite' ? 'sqlite_master' : 'information_schema.tables')}`.execute(handle.db)
        const where = database.dialect === 'sqlite' ? `SQLite ${displayPath(root, database.file)}` : `PostgreSQL ${handle.target}`
        return {status: 'pass', message: `${where} opens (${Math.round(performance.now() - started)} ms)`}
      } catch (error) {
        const cause = ((error as {cause?: Error}).cause ?? error) as Error & {code?: string}
        const damaged = cause.code === 'SQLITE_NOTADB' || cause.code === 'SQLITE_CORRUPT'
        if (damaged) {
          return {
            status: 'fail',
            message: `${displayPath(root, (database as {file: string}).file)} is not a usable SQLite database (${cause.code})`,
            details: ['db reset moves the damaged file aside (nothing is deleted) and creates an empty database; a backup brings the data back.'],
            fix: {command: await restoreOrReset(context)},
          }
        }
        return {
          status: 'fail',
          message: `the database cannot be opened: ${(error as Error).message}`,
          fix: {command: database.dialect === 'postgres' ? 'pg_isready -d "$DATABASE_URL"   # then check DATABASE_URL: storybook env show' : 'storybook env show'},
        }
      }
    },
  },
  {
    id: 'db.integrity',
    title: 'database integrity',
    category: 'database',
    budgetMs: 10_000,
    after: ['db.reachable'],
    applies: isSqlite,
    needs: DATABASE_VARIABLES,
    run: async (context) => {
      const handle = await context.database()
      let messages: string[]
      try {
        const {rows} = await sql<{quick_check: string}>`pragma quick_check`.execute(handle.db)
        messages = rows.map((row) => row.quick_check)
      } catch (error) {
        // A badly damaged page stops the check itself: that is the answer too.
        if (!/^SQLITE_(CORRUPT|NOTADB)/.test((error as {code?: string}).code ?? '')) throw error
        messages = [(error as Error).message]
      }
      if (messages.length === 1 && messages[0] === 'ok') return {status: 'pass', message: 'PRAGMA quick_check: ok'}
      const file = displayPath(context.report.root, (context.config.database as {file: string}).file)
      const backup = await latestBackup(context)
      return {
        status: 'fail',
        message: `the database is damaged: ${messages.slice(0, 3).join('; ')}`,
        details: [
          ...messages.slice(3, 10),
          backup ? `The newest backup is ${backup}; restore keeps a safety copy of the damaged file.` : 'There is no backup in the state directory.',
          `To rescue what is readable: sqlite3 ${file} .recover | sqlite3 ${file}.recovered`,
          'Last resort (the data is lost): storybook db reset --yes',
        ],
        fix: {command: backup ? `storybook db restore ${backup}` : `sqlite3 ${file} .recover | sqlite3 ${file}.recovered`},
      }
    },
  },
  {
    id: 'db.journal',
    title: 'journal mode',
    category: 'database',
    budgetMs: 2_000,
    after: ['db.reachable'],
    applies: isSqlite,
    needs: DATABASE_VARIABLES,
    run: async (context) => {
      const {rows} = await sql<{journal_mode: string}>`pragma journal_mode`.execute((await context.database()).db)
      const mode = rows[0]?.journal_mode ?? 'unknown'
      if (mode === 'wal') return {status: 'pass', message: 'journal mode WAL (readers never wait for the writer)'}
      return {
        status: 'warn',
        message: `journal mode is ${mode}, not WAL: the API and CLI commands block each other`,
        details: ['Every read-write connection of storybook switches it to WAL; this file was made or changed by another tool.'],
        fix: migrateFix(context),
      }
    },
  },
  {
    id: 'db.migrations',
    title: 'migrations',
    category: 'database',
    budgetMs: 5_000,
    after: ['db.reachable'],
    needs: DATABASE_VARIABLES,
    run: async (context) => {
      const status = await context.migrationStatus()
      if (status.untrackedTables.length > 0) {
        return {
          status: 'fail',
          message: `the database has tables (${status.untrackedTables.join(', ')}) but no record of migrations`,
          details: ['It was made before migrations were tracked; integrate-migrations adopts it (a dry run first).'],
          fix: {command: 'storybook integrate-migrations'},
        }
      }
      const pending = status.migrations.filter((migration) => migration.status === 'pending').map((migration) => migration.name)
      if (pending.length > 0) {
        return {
          status: 'fail',
          message: `${pending.length} migration${pending.length === 1 ? ' is' : 's are'} pending: ${pending.join(', ')}`,
          details: ['The API answers /ready with 503 until they are applied.'],
          fix: migrateFix(context),
        }
      }
      if (status.unbuilt.length > 0) {
        return {
          status: 'warn',
          message: `migrations/ has files that the built CLI does not know: ${status.unbuilt.join(', ')}`,
          fix: {command: 'npm run build && storybook db migrate'},
        }
      }
      const last = status.migrations.at(-1)
      return {status: 'pass', message: `all ${status.migrations.length} migrations applied${last ? ` (latest ${last.name})` : ''}`}
    },
  },
  {
    id: 'db.drift',
    title: 'migration drift',
    category: 'database',
    budgetMs: 5_000,
    after: ['db.reachable'],
    needs: DATABASE_VARIABLES,
    run: async (context) => {
      const {drift} = await context.migrationStatus()
      if (drift.length === 0) return {status: 'pass', message: 'applied migrations match the code'}
      return {
        status: 'fail',
        message: `applied migrations differ from the code: ${drift.map((entry) => `${entry.name} (${entry.problem})`).join(', ')}`,
        details: ['An applied migration must never be edited or removed: restore it from git and write a new migration instead; only a harmless edit may be accepted with storybook db repair.'],
        fix: {command: 'git diff migrations/'},
      }
    },
  },
  {
    id: 'db.lock',
    title: 'write lock',
    category: 'database',
    budgetMs: 4_000,
    after: ['db.reachable'],
    applies: isSqlite,
    needs: DATABASE_VARIABLES,
    run: async (context) => {
      const file = (context.config.database as {file: string}).file
      const problem = await writeLockProblem(file, 1_500)
      if (problem === undefined) return {status: 'pass', message: 'the database takes a write lock at once'}
      if (problem.kind === 'readonly') return {status: 'warn', message: `cannot test the write lock: ${problem.message}`, fix: {command: `ls -l ${dirname(file)}`}}
      const holders = currentPlatform().processesUsingFile(file).filter((holder) => holder.pid !== process.pid)
      return {
        status: 'fail',
        message: 'the database is locked: a writer has held it for more than 1.5 s',
        details: holders.length > 0 ? holders.map((holder) => `open in PID ${holder.pid}: ${holder.command}`) : ['No process of yours has it open; another user may.'],
        fix: {command: holders.length > 0 ? `# end the open transaction in PID ${holders.map((holder) => holder.pid).join(', ')} (commit or quit it)` : `ls -l ${file}*`},
      }
    },
  },
  {
    id: 'db.disk',
    title: 'disk space',
    category: 'database',
    budgetMs: 2_000,
    needs: ['STORYBOOK_STATE_DIR'],
    run: async ({config, report}) => {
      const folder = await nearestExisting(config.state.root)
      const name = displayPath(report.root, config.state.root)
      const writable = await access(folder, constants.W_OK).then(() => true, () => false)
      if (!writable) {
        return {status: 'fail', message: `the state directory ${name} is not writable (${folder})`, fix: {command: `ls -ld ${folder}   # then: chmod u+w ${folder}, or set STORYBOOK_STATE_DIR`}}
      }
      const stats = await statfs(folder)
      const free = stats.bavail * stats.bsize
      const message = `${formatBytes(free)} free on the disk of ${name}/`
      if (free >= LOW_SPACE_BYTES) return {status: 'pass', message}
      return {
        status: free < NO_SPACE_BYTES ? 'fail' : 'warn',
        message: `only ${message}: SQLite, backups and logs stop when the disk is full`,
        fix: {command: `du -sh ${join(name, '*')}   # old backups: storybook db backup --keep 3`},
      }
    },
  },
]

/** For a file that is not a database at all: restore the newest backup, else reset (which moves the file aside). */
async function restoreOrReset(context: DiagnoseContext): Promise<string> {
  const backup = await latestBackup(context)
  return backup ? `storybook db restore ${backup}` : 'storybook db reset --yes'
}

/** The newest backup that `db backup` made, for the restore command, or undefined. */
async function latestBackup(context: DiagnoseContext): Promise<string | undefined> {
  const {backupsNewestFirst} = await import('../../db-backup.js')
  const newest = (await backupsNewestFirst(context.config.state.backups, 'storybook').catch(() => []))[0]
  return newest ? displayPath(context.report.root, join(context.config.state.backups, newest)) : undefined
}

/**
 * Tries BEGIN IMMEDIATE on a connection of its own (and rolls back at once): fails only when
 * another connection keeps the write lock for longer than `waitMs`. Retries on a timer instead of
 * SQLite's busy timeout, which would block every other check while it waits.
 */
async function writeLockProblem(file: string, waitMs: number): Promise<{kind: 'locked' | 'readonly'; message: string} | undefined> {
  const {createRequire} = await import('node:module')
  const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3')
  let database: import('better-sqlite3').Database | undefined
  const deadline = Date.now() + waitMs
  try {
    database = new Driver(file, {fileMustExist: true, timeout: 0})
    for (;;) {
      try {
        database.exec('begin immediate')
        database.exec('rollback')
        return undefined
      } catch (error) {
        const code = (error as {code?: string}).code ?? ''
        if (!code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  } catch (error) {
    const code = (error as {code?: string}).code ?? ''
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return {kind: 'locked', message: (error as Error).message}
    return {kind: 'readonly', message: (error as Error).message}
  } finally {
    database?.close()
  }
}
