// Database: it opens, its pages are sound (SQLite), it journals in WAL mode, its migrations are
// current and unchanged, nobody holds its write lock, and the state directory has room to grow.
import {access, constants, stat, statfs} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {sql} from 'kysely'
import {currentPlatform} from '../../../core/process/platform/index.js'
import {shellQuote} from '../../../core/text/shell-quote.js'
import type {Check, CheckFix, CheckOutcome} from '../check.js'
import type {DiagnoseContext} from '../context.js'
import {formatBytes} from '../../../core/output/bytes.js'
import {commandPath, displayPath, inFolder, nearestExisting} from './paths.js'

const DATABASE_VARIABLES = ['DATABASE_URL', 'STORYBOOK_STATE_DIR']
const MIGRATE = 'storybook db migrate'
const LOW_SPACE_BYTES = 500 * 1024 * 1024
const NO_SPACE_BYTES = 100 * 1024 * 1024

const isSqlite = ({config}: DiagnoseContext) => config.database.dialect === 'sqlite'

/**
 * `db migrate`, applied in-process: creates the database or brings it up to date (and opens it in
 * WAL mode). A database that exists is backed up first (as `db backup` does, pruning nothing), and
 * without a backup it is not migrated: a migration that goes wrong can then be undone by a restore.
 */
function migrateFix(context: DiagnoseContext, options: {backup: boolean} = {backup: true}): CheckFix {
  return {
    command: options.backup ? `storybook db backup && ${MIGRATE}` : MIGRATE,
    apply: async () => {
      await context.close() // our read-only connection must not sit on the file while it changes
      const backup = options.backup ? await backupBeforeMigrating(context) : undefined
      const {migrateDatabase} = await import('../../db.js')
      const result = await migrateDatabase({config: context.config})
      const applied =
        result.applied.length === 0
          ? 'the database is up to date'
          : `applied ${result.applied.map((migration) => migration.name).join(', ')}`
      return backup ? `backed up to ${displayPath(context.report.root, backup)}, then ${applied}` : applied
    },
  }
}

/** The backup `migrateFix` takes; its failure stops the fix before anything is migrated. */
async function backupBeforeMigrating(context: DiagnoseContext): Promise<string> {
  const {backupDatabase} = await import('../../db-backup.js')
  try {
    return (await backupDatabase({config: context.config, keep: Number.MAX_SAFE_INTEGER})).file
  } catch (error) {
    throw new Error(`nothing migrated: the backup before migrating failed (${(error as Error).message})`, {
      cause: error,
    })
  }
}

export const databaseChecks: Check[] = [
  {
    id: 'db.reachable',
    title: 'database connection',
    category: 'database',
    budgetMs: 7_000,
    needs: DATABASE_VARIABLES,
    // A driver that does not load fails every open with its own (14-line) message: that check says it once.
    // On PostgreSQL too: the project lock of start, stop and migrate is a SQLite file.
    after: ['deps.sqlite-driver'],
    run: async (context) => {
      const {database, root} = {database: context.config.database, root: context.report.root}
      const started = performance.now()
      if (database.dialect === 'sqlite') {
        const exists = await access(database.file).then(
          () => true,
          () => false,
        )
        if (!exists) {
          const backup = await latestBackup(context)
          // A database that went missing while backups exist was most likely lost: restoring comes first.
          return backup
            ? {
                status: 'fail',
                message: `there is no database at ${displayPath(root, database.file)}, but there are backups`,
                details: [`To start empty instead: ${MIGRATE}`],
                fix: {command: `storybook db restore ${commandPath(context.cwd, backup)}`},
              }
            : {
                status: 'fail',
                message: `there is no database yet at ${displayPath(root, database.file)}`,
                fix: migrateFix(context, {backup: false}),
              }
        }
      }
      try {
        const handle = await context.database()
        // Reading the schema makes SQLite read the file header: a file that is not a database fails here.
        const catalog = database.dialect === 'sqlite' ? 'sqlite_master' : 'information_schema.tables'
        await sql`select count(*) as tables from ${sql.raw(catalog)}`.execute(handle.db)
        const where =
          database.dialect === 'sqlite' ? `SQLite ${displayPath(root, database.file)}` : `PostgreSQL ${handle.target}`
        return {status: 'pass', message: `${where} opens (${Math.round(performance.now() - started)} ms)`}
      } catch (error) {
        return database.dialect === 'sqlite'
          ? sqliteOpenProblem(context, database.file, error)
          : postgresOpenProblem(database.url, error)
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
      const file = (context.config.database as {file: string}).file
      const checked = await quickCheck(file, {
        timeoutMs: 9_000,
        inProcess: async () =>
          (await sql<{quick_check: string}>`pragma quick_check`.execute((await context.database()).db)).rows,
      })
      if (checked.kind === 'timeout') {
        return {
          status: 'warn',
          message: `PRAGMA quick_check of this ${formatBytes(checked.bytes)} database did not finish within 9 s`,
          fix: {command: `sqlite3 ${commandPath(context.cwd, file)} 'pragma quick_check'   # as long as it takes`},
        }
      }
      const messages = checked.messages
      if (messages.length === 1 && messages[0] === 'ok') return {status: 'pass', message: 'PRAGMA quick_check: ok'}
      const backup = await latestBackup(context)
      return {
        status: 'fail',
        message: `the database is damaged: ${messages.slice(0, 3).join('; ')}`,
        details: [...messages.slice(3, 10), ...rescueAdvice(context, file, backup)],
        fix: {
          command: backup ? `storybook db restore ${commandPath(context.cwd, backup)}` : recoverCommand(context, file),
        },
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
        details: [
          'Every read-write connection of storybook switches it to WAL; this file was made or changed by another tool.',
        ],
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
      const status = await context.migrationStatus().catch((error: unknown) => lockedOrThrow(context, error))
      if ('outcome' in status) return status.outcome
      if (status.untrackedTables.length > 0) {
        return {
          status: 'fail',
          message: `the database has tables (${status.untrackedTables.join(', ')}) but no record of migrations`,
          details: ['It was made before migrations were tracked; integrate-migrations adopts it (a dry run first).'],
          fix: {command: 'storybook integrate-migrations'},
        }
      }
      const pending = status.migrations
        .filter((migration) => migration.status === 'pending')
        .map((migration) => migration.name)
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
      return {
        status: 'pass',
        message: `all ${status.migrations.length} migrations applied${last ? ` (latest ${last.name})` : ''}`,
      }
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
      const status = await context.migrationStatus().catch((error: unknown) => lockedOrThrow(context, error))
      if ('outcome' in status) return status.outcome
      const {drift} = status
      if (drift.length === 0) return {status: 'pass', message: 'applied migrations match the code'}
      return {
        status: 'fail',
        message: `applied migrations differ from the code: ${drift.map((entry) => `${entry.name} (${entry.problem})`).join(', ')}`,
        details: [
          'An applied migration must never be edited or removed: ' +
            'restore it from git and write a new migration instead; ' +
            'only a harmless edit may be accepted with storybook db repair.',
        ],
        fix: {command: await driftDiffCommand(context)},
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
      if (problem.kind === 'readonly')
        return {
          status: 'warn',
          message: `cannot test the write lock: ${problem.message}`,
          fix: {command: `ls -l ${commandPath(context.cwd, dirname(file))}`},
        }
      return {
        status: 'fail',
        message: 'the database is locked: a writer has held it for more than 1.5 s',
        ...lockAdvice(context, file),
      }
    },
  },
  {
    id: 'db.disk',
    title: 'disk space',
    category: 'database',
    budgetMs: 2_000,
    needs: ['STORYBOOK_STATE_DIR'],
    run: async (context) => {
      const {config, report} = context
      const folder = await nearestExisting(config.state.root)
      const name = displayPath(report.root, config.state.root)
      const writable = await access(folder, constants.W_OK).then(
        () => true,
        () => false,
      )
      if (!writable) {
        const here = commandPath(context.cwd, folder)
        return {
          status: 'fail',
          message: `the state directory ${name} is not writable (${folder})`,
          fix: {command: `ls -ld ${here}   # then: chmod u+w ${here}, or set STORYBOOK_STATE_DIR`},
        }
      }
      const stats = await statfs(folder)
      const free = stats.bavail * stats.bsize
      const message = `${formatBytes(free)} free on the disk of ${name}/`
      if (free >= LOW_SPACE_BYTES) return {status: 'pass', message}
      return {
        status: free < NO_SPACE_BYTES ? 'fail' : 'warn',
        message: `only ${message}: SQLite, backups and logs stop when the disk is full`,
        fix: {
          command: `du -sh ${commandPath(context.cwd, config.state.root)}/*   # old backups: storybook db backup --keep 3`,
        },
      }
    },
  },
]

/**
 * Where to see what changed in the applied migrations: a git diff of the migrations/ folder that
 * holds them, written for the folder the command is typed in (`git diff migrations/` finds nothing
 * from a subfolder); the toolkit's own when the project has none; db status when neither is a checkout.
 */
async function driftDiffCommand(context: DiagnoseContext): Promise<string> {
  const exists = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    )
  if (await exists(join(context.report.root, 'migrations')))
    return `git diff ${commandPath(context.cwd, join(context.report.root, 'migrations'))}/`
  if ((await exists(join(context.codeRoot, 'migrations'))) && (await exists(join(context.codeRoot, '.git'))))
    return `git -C ${commandPath(context.cwd, context.codeRoot)} diff migrations/`
  return 'storybook db status   # names each changed migration'
}

/** Past this size quick_check runs in a child process, which can be stopped at the budget; below it, it takes milliseconds. */
const WORKER_CHECK_BYTES = 64 * 1024 * 1024

export type QuickCheck = {kind: 'done'; messages: string[]} | {kind: 'timeout'; bytes: number}

/**
 * `PRAGMA quick_check`, one message per problem (`ok` alone when sound). A large file is checked
 * in a child process: SQLite's work is synchronous, and on the main thread it would stop every
 * other check, and the budget, until it ended.
 */
export async function quickCheck(
  file: string,
  options: {timeoutMs: number; inProcess: () => Promise<Array<{quick_check: string}>>; workerAboveBytes?: number},
): Promise<QuickCheck> {
  const bytes = (await stat(file)).size
  const flatten = (messages: string[]) => messages.map((message) => message.replace(/\s*\n\s*/g, ' '))
  try {
    if (bytes < (options.workerAboveBytes ?? WORKER_CHECK_BYTES))
      return {kind: 'done', messages: flatten((await options.inProcess()).map((row) => row.quick_check))}
    const answer = await quickCheckInChild(file, options.timeoutMs)
    return answer === 'timeout' ? {kind: 'timeout', bytes} : {kind: 'done', messages: flatten(answer)}
  } catch (error) {
    // A badly damaged page stops the check itself: that is the answer too.
    if (!/^SQLITE_(CORRUPT|NOTADB)/.test((error as {code?: string}).code ?? '')) throw error
    return {kind: 'done', messages: [(error as Error).message]}
  }
}

/** In a child process, which (unlike a worker thread busy in native code) can be stopped at once. */
async function quickCheckInChild(file: string, timeoutMs: number): Promise<string[] | 'timeout'> {
  const [{execFile}, {createRequire}] = await Promise.all([import('node:child_process'), import('node:module')])
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const script = `const [driver, file] = process.argv.slice(1)
try {
  const db = new (require(driver))(file, {readonly: true, fileMustExist: true, timeout: 250})
  process.stdout.write(JSON.stringify({messages: db.pragma('quick_check').map((row) => row.quick_check)}))
} catch (error) {
  process.stdout.write(JSON.stringify({error: error.message, code: error.code}))
}`
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script, driver, file],
      {timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024},
      (error, stdout) => {
        if (error && (error as {killed?: boolean}).killed) return resolve('timeout')
        try {
          const answer = JSON.parse(stdout) as {messages?: string[]; error?: string; code?: string}
          if (answer.messages) resolve(answer.messages)
          else reject(Object.assign(new Error(answer.error), {code: answer.code}))
        } catch {
          reject(error ?? new Error(`quick_check gave no answer: ${stdout.slice(0, 200)}`))
        }
      },
    )
  })
}

/** The newest backup that `db backup` made, for the restore command, or undefined. */
async function latestBackup(context: DiagnoseContext): Promise<string | undefined> {
  const {backupsNewestFirst} = await import('../../db-backup.js')
  const newest = (await backupsNewestFirst(context.config.state.backups, 'storybook').catch(() => []))[0]
  return newest ? join(context.config.state.backups, newest) : undefined
}

const recoverCommand = (context: DiagnoseContext, file: string) => {
  const here = commandPath(context.cwd, file)
  return `sqlite3 ${here} .recover | sqlite3 ${commandPath(context.cwd, `${file}.recovered`)}`
}

/** What to do with a damaged file: restore, rescue what is readable, or start again. */
function rescueAdvice(context: DiagnoseContext, file: string, backup: string | undefined): string[] {
  return [
    backup
      ? `The newest backup is ${displayPath(context.report.root, backup)}; restore keeps a safety copy of the damaged file.`
      : 'There is no backup in the state directory.',
    `To rescue what is readable (needs the sqlite3 shell): ${recoverCommand(context, file)}`,
    'To start again with an empty database: storybook db reset --yes ' +
      '(a file that no longer opens is moved aside; one that opens loses its tables)',
  ]
}

/** Who has the file open, and what to do about a lock one of them holds. */
function lockAdvice(context: DiagnoseContext, file: string): {details: string[]; fix: CheckFix} {
  const holders = currentPlatform()
    .processesUsingFile(file)
    .filter((holder) => holder.pid !== process.pid)
  return {
    details:
      holders.length > 0
        ? [
            'Processes that have the database open (one of them holds a write transaction):',
            ...holders.map((holder) => `  PID ${holder.pid}: ${holder.command}`),
          ]
        : ['No process of yours has it open; another user may.'],
    fix: {
      command:
        holders.length > 0
          ? `ps -o pid,etime,args -p ${holders.map((holder) => holder.pid).join(',')}   # then end the transaction that stays open`
          : `ls -l ${commandPath(context.cwd, file)}*`,
    },
  }
}

function sqliteOpenProblem(
  context: DiagnoseContext,
  file: string,
  error: unknown,
): Promise<CheckOutcome> | CheckOutcome {
  const cause = ((error as {cause?: Error}).cause ?? error) as Error & {code?: string}
  const code = cause.code ?? ''
  const name = displayPath(context.report.root, file)
  if (/bindings file|better_sqlite3\.node|better-sqlite3/.test(cause.message)) {
    // Run alone (diagnose database), the driver check is not there to say it first.
    return {
      status: 'fail',
      message: `the SQLite driver does not load: ${cause.message.split('\n')[0]?.replace(/\.?\s*Tried:$/, '')}`,
      fix: {command: inFolder(context.cwd, context.codeRoot, 'npm rebuild better-sqlite3')},
    }
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return latestBackup(context).then((backup) => ({
      status: 'fail',
      message: `${name} is not a usable SQLite database (${code})`,
      details: rescueAdvice(context, file, backup),
      fix: {command: backup ? `storybook db restore ${commandPath(context.cwd, backup)}` : 'storybook db reset --yes'},
    }))
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return {
      status: 'fail',
      message: `${name} is locked by another process, even for reading`,
      ...lockAdvice(context, file),
    }
  }
  return {
    status: 'fail',
    message: `${name} cannot be opened: ${cause.message.split('\n')[0]}`,
    details: ['SQLite needs the file and its folder readable (and writable, for the -wal and -shm files beside it).'],
    fix: {command: `ls -ld ${commandPath(context.cwd, dirname(file))} ${commandPath(context.cwd, file)}`},
  }
}

/**
 * A statement that gave up waiting on another session's lock becomes the answer (who holds what,
 * and how to see it); any other error goes on to the runner.
 */
function lockedOrThrow(context: DiagnoseContext, error: unknown): {outcome: CheckOutcome} {
  const code = (((error as {cause?: unknown}).cause ?? error) as {code?: string}).code ?? ''
  if (code === '55P03' || code === '57014') {
    return {
      outcome: {
        status: 'fail',
        message: 'the migrations table is locked by another session (waited 3 s)',
        details: ['A migration in progress, or a session left idle in a transaction, holds it.'],
        fix: {
          command: psqlCommand(
            context,
            "select pid, state, xact_start, query from pg_stat_activity where state = 'idle in transaction' or wait_event_type = 'Lock'",
          ),
        },
      },
    }
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return {
      outcome: {
        status: 'fail',
        message: 'the database is locked by another process',
        ...lockAdvice(context, (context.config.database as {file: string}).file),
      },
    }
  }
  throw error
}

function psqlCommand(context: DiagnoseContext, query: string): string {
  const {host, user, database} = postgresTarget(context.config.database.url)
  return `psql ${host}${user} ${database} -c ${shellQuote(query)}`
}

/** The server, user and database of a PostgreSQL URL as psql options (never its password), quoted. */
function postgresTarget(url: string): {host: string; user: string; database: string} {
  const parsed = new URL(url)
  return {
    host: `-h ${shellQuote(parsed.hostname || 'localhost')} -p ${parsed.port || '5432'}`,
    user: parsed.username ? ` -U ${shellQuote(decodeURIComponent(parsed.username))}` : '',
    database: shellQuote(decodeURIComponent(parsed.pathname.slice(1))),
  }
}

/** A failed PostgreSQL connection, with the command for the case: server down, no such database, wrong password. */
function postgresOpenProblem(url: string, error: unknown): CheckOutcome {
  const cause = ((error as {cause?: Error}).cause ?? error) as Error & {code?: string}
  const {host, user, database} = postgresTarget(url)
  const message = `the database cannot be opened: ${(error as Error).message}`
  if (cause.code === '3D000') return {status: 'fail', message, fix: {command: `createdb ${host}${user} ${database}`}}
  if (cause.code === '28P01' || cause.code === '28000')
    return {
      status: 'fail',
      message,
      details: ['The user name or password in DATABASE_URL is not accepted.'],
      fix: {command: 'storybook env setup --set DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DB'},
    }
  return {status: 'fail', message, fix: {command: `pg_isready ${host}   # is the server up and listening there?`}}
}

/**
 * Tries BEGIN IMMEDIATE on a connection of its own (and rolls back at once): fails only when
 * another connection keeps the write lock for longer than `waitMs`. Retries on a timer instead of
 * SQLite's busy timeout, which would block every other check while it waits.
 */
async function writeLockProblem(
  file: string,
  waitMs: number,
): Promise<{kind: 'locked' | 'readonly'; message: string} | undefined> {
  const Driver = (await import('../../../core/db/sqlite.js')).loadDriver()
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
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      return {kind: 'locked', message: (error as Error).message}
    return {kind: 'readonly', message: (error as Error).message}
  } finally {
    database?.close()
  }
}
