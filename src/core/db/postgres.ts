// Everything PostgreSQL-specific: the pg pool, an advisory lock for migrations, introspection of
// the current schema, and pg_dump / pg_restore for backups.
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {Kysely, PostgresDialect, sql} from 'kysely'
import {maskUrlPassword} from '../config/mask.js'
import {ExternalError, StorybookError} from '../errors.js'
import type {QueryObserver} from './connection.js'
import {queryLog} from './query-log.js'
import type {DatabaseHandle, SchemaSnapshot} from './handle.js'
import type {Database} from './types.js'

/** Any fixed 64-bit number will do; it only has to be the same for every storybook process. */
const MIGRATION_LOCK_KEY = 7_316_542_861

export async function openPostgres(
  url: string,
  statementTimeoutMs?: number,
  onQuery?: QueryObserver,
): Promise<DatabaseHandle> {
  const {default: pg} = await import('pg')
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: Math.min(5_000, statementTimeoutMs ?? 5_000),
    // The server cancels a statement that waits too long (on a lock, say), so closing never hangs.
    ...(statementTimeoutMs === undefined
      ? {}
      : {statement_timeout: statementTimeoutMs, lock_timeout: statementTimeoutMs}),
  })
  // A failed idle client must not crash the process; the next query reports the problem. When the
  // server shuts down, a client reports its connection twice (the server's message, then the closed
  // socket), the second time after the pool stopped listening to it: each client keeps a listener.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  const target = maskUrlPassword(url)
  try {
    const client = await pool.connect()
    client.release()
  } catch (error) {
    await pool.end()
    throw postgresConnectError(target, error)
  }
  const db = new Kysely<Database>({dialect: new PostgresDialect({pool}), ...queryLog(onQuery)})
  return {
    db,
    dialect: 'postgres',
    target,
    migrationTransaction: (work) => db.transaction().execute(work),
    acquireMigrationLock: async (timeoutMs, onWait) => {
      // A session-level advisory lock on a connection of its own, held for the whole run.
      const client = await pool.connect()
      const deadline = Date.now() + timeoutMs
      for (let attempt = 0; ; attempt++) {
        const {rows} = await client.query<{locked: boolean}>('select pg_try_advisory_lock($1) as locked', [
          MIGRATION_LOCK_KEY,
        ])
        if (rows[0]?.locked) break
        if (attempt === 0) onWait?.()
        if (Date.now() > deadline) {
          client.release()
          throw new StorybookError(
            'TIMEOUT',
            `Another migration has held the database lock for more than ${timeoutMs} ms.`,
            {
              next: ['storybook db status'],
            },
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return async () => {
        try {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        } finally {
          client.release()
        }
      }
    },
    introspect: () => introspectPostgres(db),
    dropAllTables: async () => {
      const snapshot = await introspectPostgres(db)
      for (const table of Object.keys(snapshot.tables)) {
        await sql`drop table if exists ${sql.id(table)} cascade`.execute(db)
      }
    },
    close: () => db.destroy(),
  }
}

function postgresConnectError(target: string, error: unknown): StorybookError {
  const code = (error as {code?: string}).code
  return new StorybookError(
    'DATABASE_UNAVAILABLE',
    `Cannot connect to PostgreSQL at ${target}: ${(error as Error).message}.`,
    {
      reason:
        code === 'ECONNREFUSED'
          ? 'Nothing is listening there: is the server running, and is the port right?'
          : code === '3D000'
            ? 'The database does not exist yet; create it with createdb.'
            : code === '28P01' || code === '28000'
              ? 'The user name or password in DATABASE_URL was refused.'
              : undefined,
      next: ['storybook env show', 'storybook diagnose'],
      cause: error,
    },
  )
}

export async function introspectPostgres(db: Kysely<Database>): Promise<SchemaSnapshot> {
  const columns = await sql<{table_name: string; column_name: string; is_nullable: string}>`
    select c.table_name, c.column_name, c.is_nullable
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db)
  // Constraints (p, u, f) with their columns in order, and the ON DELETE action of foreign keys.
  const constraints = await sql<{
    table_name: string
    type: string
    columns: string
    foreign_table: string | null
    foreign_columns: string | null
    on_delete: string
  }>`
    select cl.relname as table_name, c.contype as type,
      (select string_agg(a.attname, ',' order by k.ord) from unnest(c.conkey) with ordinality k(col, ord)
         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.col) as columns,
      fcl.relname as foreign_table,
      (select string_agg(a.attname, ',' order by k.ord) from unnest(c.confkey) with ordinality k(col, ord)
         join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.col) as foreign_columns,
      c.confdeltype as on_delete
    from pg_constraint c
    join pg_class cl on cl.oid = c.conrelid
    join pg_namespace n on n.oid = cl.relnamespace
    left join pg_class fcl on fcl.oid = c.confrelid
    where n.nspname = current_schema() and c.contype in ('p', 'u', 'f')`.execute(db)
  // Indexes made by CREATE INDEX only: those behind PRIMARY KEY and UNIQUE constraints are left out.
  const indexes = await sql<{table_name: string; index_name: string; columns: string}>`
    select t.relname as table_name, i.relname as index_name,
      (select string_agg(a.attname, ',' order by k.ord) from unnest(x.indkey::int2[]) with ordinality k(col, ord)
         join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.col) as columns
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema()
      and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`.execute(db)

  const actions: Record<string, string> = {a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default'}
  const snapshot: SchemaSnapshot = {tables: {}}
  const table = (name: string) =>
    (snapshot.tables[name] ??= {columns: [], notNull: [], primaryKey: [], unique: [], indexes: [], foreignKeys: []})
  for (const row of columns.rows) {
    table(row.table_name).columns.push(row.column_name)
    if (row.is_nullable === 'NO') table(row.table_name).notNull.push(row.column_name)
  }
  for (const row of constraints.rows) {
    const shape = snapshot.tables[row.table_name]
    if (!shape) continue
    if (row.type === 'p') shape.primaryKey = row.columns.split(',')
    else if (row.type === 'u') shape.unique.push(row.columns)
    else
      shape.foreignKeys.push(
        `${row.columns}->${row.foreign_table}.${row.foreign_columns} on delete ${actions[row.on_delete] ?? row.on_delete}`,
      )
  }
  for (const row of indexes.rows) snapshot.tables[row.table_name]?.indexes.push(`${row.index_name}(${row.columns})`)
  for (const shape of Object.values(snapshot.tables)) {
    shape.notNull.sort()
    shape.unique.sort()
    shape.indexes.sort()
    shape.foreignKeys.sort()
  }
  return snapshot
}

/** The password goes in PGPASSWORD, not on the command line where `ps` would show it. */
function connectionOf(url: string | undefined): {connection: string[]; env: NodeJS.ProcessEnv} {
  const connection: string[] = []
  const env: NodeJS.ProcessEnv = {...process.env}
  if (url) {
    const parsed = new URL(url)
    const password = decodeURIComponent(parsed.password)
    parsed.password = ''
    if (password) env.PGPASSWORD = password
    connection.push('--dbname', parsed.href)
  }
  return {connection, env}
}

function missingTool(program: string): ExternalError {
  return new ExternalError(`${program} is not installed, so PostgreSQL backups cannot be made here.`, {
    reason: `${program} comes with the PostgreSQL client tools and must be on the PATH.`,
    next: ['sudo apt-get install postgresql-client', 'brew install libpq'],
    command: program,
  })
}

/** Runs a PostgreSQL client program (pg_dump, pg_restore), with a clear error when it is missing; resolves to its stdout. */
export function runPostgresTool(
  program: 'pg_dump' | 'pg_restore',
  args: string[],
  url: string | undefined,
): Promise<string> {
  const {connection, env} = connectionOf(url)
  return new Promise((resolve, reject) => {
    execFile(program, [...args, ...connection], {env, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
      if (!error) return resolve(stdout)
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(missingTool(program))
      reject(
        new ExternalError(`${program} failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`, {
          command: `${program} ${args.join(' ')}`,
          next: ['storybook diagnose'],
          cause: error,
        }),
      )
    })
  })
}

/**
 * Restores a pg_dump archive in one transaction that also runs `prelude` first: pg_restore writes
 * the script, psql runs it between a BEGIN and a COMMIT sent only once pg_restore has succeeded,
 * so any failure (of either program) rolls back to the database as it was.
 */
export function restorePostgresArchive(options: {file: string; url: string; prelude: string}): Promise<void> {
  const {connection, env} = connectionOf(options.url)
  const script = spawn('pg_restore', ['--no-owner', '--clean', '--if-exists', '--file', '-', options.file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const psql = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...connection], {
    env,
    stdio: ['pipe', 'ignore', 'pipe'],
  })
  const finished = (child: ChildProcess, program: string) =>
    new Promise<string | undefined>((resolve, reject) => {
      let stderr = ''
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.on('error', (error) =>
        reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? missingTool(program) : error),
      )
      child.on('close', (code) =>
        resolve(code === 0 ? undefined : `${program} failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`),
      )
    })
  const scriptDone = finished(script, 'pg_restore')
  const psqlDone = finished(psql, 'psql')
  // A psql that stopped reading would leave pg_restore blocked on a full pipe.
  psql.on('close', () => script.exitCode === null && script.kill())
  // psql reports its own failure by its exit code; a write after it stopped reading is not another one.
  psql.stdin.on('error', () => {})
  psql.stdin.write(`BEGIN;\nSET client_min_messages = warning;\n${options.prelude}\n`)
  script.stdout.pipe(psql.stdin, {end: false})
  void scriptDone.then(
    (failure) => psql.stdin.end(failure ? '' : 'COMMIT;\n'),
    () => psql.stdin.end(),
  )
  return Promise.all([scriptDone, psqlDone]).then(([scriptFailure, psqlFailure]) => {
    const failure = psqlFailure ?? scriptFailure
    if (failure) {
      throw new ExternalError(failure, {command: `pg_restore ${options.file} | psql`, next: ['storybook diagnose']})
    }
  })
}
