// The migrator: applies and rolls back migrations one transaction each, under a cross-process
// lock, and records a checksum of each applied migration so that later changes show up as drift.
// Written here rather than on kysely's Migrator, which returns errors instead of throwing, keeps
// no checksums and whose lock does nothing on SQLite.
import {createHash} from 'node:crypto'
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely'
import {NotFoundError, StorybookError} from '../errors.js'
import type {DatabaseHandle, Dialect} from './handle.js'
import {MIGRATIONS_TABLE, type Database} from './types.js'

export interface Migration {
  name: string
  up(db: Kysely<any>): Promise<void>
  down(db: Kysely<any>): Promise<void>
}

export interface AppliedMigration {
  name: string
  checksum: string
  appliedAt: string
}

export interface MigrationEntry {
  name: string
  status: 'applied' | 'pending'
  appliedAt: string | null
}

export interface DriftEntry {
  name: string
  /** changed: the code differs from what was applied; missing: applied but no longer in the code. */
  problem: 'changed' | 'missing'
}

export interface MigrationStatus {
  dialect: Dialect
  target: string
  /** The tracking table exists. */
  tracked: boolean
  migrations: MigrationEntry[]
  pending: number
  drift: DriftEntry[]
  /** Tables of the application found in a database without a tracking table. */
  untrackedTables: string[]
}

export interface MigrateResult {
  dialect: Dialect
  target: string
  applied: Array<{name: string; durationMs: number}>
  /** The last applied migration afterwards, or null for an empty database. */
  current: string | null
}

export interface RollbackResult {
  dialect: Dialect
  target: string
  rolledBack: Array<{name: string; durationMs: number}>
  current: string | null
}

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000

/**
 * The SQL text that `up` compiles to on this dialect, recorded by running it against a driver that
 * executes nothing. Parameter values are left out (a migration may stamp rows with the current
 * time), and a migration that reads data gets no rows, so what it does after that is not seen.
 */
async function recordStatements(migration: Migration, dialect: Dialect): Promise<string[]> {
  const statements: string[] = []
  const recorder = new Kysely<any>({
    dialect: {
      createAdapter: () => (dialect === 'sqlite' ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => (dialect === 'sqlite' ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (dialect === 'sqlite' ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
    log: (event) => {
      statements.push(event.query.sql)
    },
  })
  try {
    await migration.up(recorder)
  } catch {
    statements.push('-- stopped: the migration reads data, which a recording cannot provide')
  } finally {
    await recorder.destroy()
  }
  return statements
}

/**
 * A checksum of what a migration applies: the SHA-256 of its SQL. Formatting, comments, bundling
 * and edits to `down` do not change it; changing what `up` does does.
 */
export async function migrationChecksum(migration: Migration, dialect: Dialect): Promise<string> {
  return createHash('sha256')
    .update((await recordStatements(migration, dialect)).join('\n'))
    .digest('hex')
}

/** Tables the migrations create, from their recorded SQL. */
async function tablesCreatedBy(migrations: readonly Migration[], dialect: Dialect): Promise<Set<string>> {
  const tables = new Set<string>()
  for (const migration of migrations) {
    for (const statement of await recordStatements(migration, dialect)) {
      const match = /^create table (?:if not exists )?"([^"]+)"/i.exec(statement)
      if (match?.[1]) tables.add(match[1])
    }
  }
  return tables
}

async function trackingTableExists(handle: DatabaseHandle): Promise<boolean> {
  const tables = await handle.db.introspection.getTables()
  return tables.some((table) => table.name === MIGRATIONS_TABLE)
}

/** Application tables in a database that records no applied migration: it needs adopting first. */
async function untrackedApplicationTables(handle: DatabaseHandle, migrations: readonly Migration[]): Promise<string[]> {
  if ((await trackingTableExists(handle)) && (await readApplied(handle.db)).length > 0) return []
  const present = Object.keys((await handle.introspect()).tables)
  const ours = await tablesCreatedBy(migrations, handle.dialect)
  return present.filter((table) => ours.has(table))
}

async function readApplied(db: Kysely<Database>): Promise<AppliedMigration[]> {
  const rows = await db
    .selectFrom(MIGRATIONS_TABLE)
    .select(['name', 'checksum', 'applied_at'])
    .orderBy('name')
    .execute()
  return rows.map((row) => ({name: row.name, checksum: row.checksum, appliedAt: row.applied_at}))
}

/**
 * The applied migrations as one string (names and checksums): one small read that changes
 * whenever a migrate, rollback, stamp or repair does. Empty when nothing is tracked yet.
 */
export async function appliedMigrationsKey(handle: DatabaseHandle): Promise<string> {
  try {
    return (await readApplied(handle.db)).map((row) => `${row.name}:${row.checksum}`).join(',')
  } catch (error) {
    if (await trackingTableExists(handle)) throw error
    return ''
  }
}

async function ensureTrackingTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn('name', 'text', (column) => column.primaryKey())
    .addColumn('checksum', 'text', (column) => column.notNull())
    .addColumn('applied_at', 'text', (column) => column.notNull())
    .addColumn('execution_ms', 'integer', (column) => column.notNull().defaultTo(0))
    .execute()
}

function findDrift(applied: AppliedMigration[], checksums: Map<string, string>): DriftEntry[] {
  const drift: DriftEntry[] = []
  for (const record of applied) {
    const expected = checksums.get(record.name)
    if (expected === undefined) drift.push({name: record.name, problem: 'missing'})
    else if (expected !== record.checksum) drift.push({name: record.name, problem: 'changed'})
  }
  return drift
}

async function checksumsFor(migrations: readonly Migration[], dialect: Dialect): Promise<Map<string, string>> {
  const entries = await Promise.all(
    migrations.map(async (migration) => [migration.name, await migrationChecksum(migration, dialect)] as const),
  )
  return new Map(entries)
}

export async function getMigrationStatus(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
): Promise<MigrationStatus> {
  const tracked = await trackingTableExists(handle)
  const applied = tracked ? await readApplied(handle.db) : []
  const untrackedTables = await untrackedApplicationTables(handle, migrations)
  const byName = new Map(applied.map((record) => [record.name, record]))
  const entries: MigrationEntry[] = migrations.map((migration) => {
    const record = byName.get(migration.name)
    return {name: migration.name, status: record ? 'applied' : 'pending', appliedAt: record?.appliedAt ?? null}
  })
  return {
    dialect: handle.dialect,
    target: handle.target,
    tracked,
    migrations: entries,
    pending: entries.filter((entry) => entry.status === 'pending').length,
    drift: findDrift(applied, await checksumsFor(migrations, handle.dialect)),
    untrackedTables,
  }
}

/** The index of the migration a `--to` value names: its full name or its number prefix. */
export function resolveMigration(migrations: readonly Migration[], to: string): number {
  const index = migrations.findIndex((migration) => migration.name === to || migration.name.split('_')[0] === to)
  if (index === -1) {
    throw new NotFoundError(`No migration is named "${to}".`, {
      reason: `Known migrations: ${migrations.map((migration) => migration.name).join(', ')}.`,
      next: ['storybook db status'],
    })
  }
  return index
}

function driftError(drift: DriftEntry[]): StorybookError {
  const lines = drift.map((entry) =>
    entry.problem === 'changed'
      ? `  ${entry.name}: changed since it was applied`
      : `  ${entry.name}: applied, but no longer in migrations/`,
  )
  return new StorybookError('MIGRATION_DRIFT', `Applied migrations differ from the code:\n${lines.join('\n')}`, {
    reason: 'An applied migration must never be edited or removed; write a new migration instead.',
    next: ['git diff migrations/', 'storybook db new <name>', 'storybook db repair   # only if the change is harmless'],
    details: {drift},
  })
}

function untrackedError(tables: string[]): StorybookError {
  return new StorybookError(
    'CONFLICT',
    `The database has tables (${tables.join(', ')}) but no record of applied migrations.`,
    {
      reason: 'It was made before migrations were tracked; applying them now would fail or damage it.',
      next: ['storybook integrate-migrations', 'storybook integrate-migrations --yes'],
      details: {tables},
    },
  )
}

/** Runs `work` holding the migration lock; every command that changes the schema goes through here. */
export async function withMigrationLock<T>(
  handle: DatabaseHandle,
  options: {timeoutMs?: number; onWait?: () => void},
  work: () => Promise<T>,
): Promise<T> {
  const release = await handle.acquireMigrationLock(options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, options.onWait)
  try {
    return await work()
  } finally {
    await release()
  }
}

export interface MigrateOptions {
  /** Stop after this migration (name or number). */
  to?: string | undefined
  lockTimeoutMs?: number
  /** Called once when another process holds the lock and this one starts waiting. */
  onLockWait?: () => void
  /** Called before each migration runs. */
  onMigration?: (name: string) => void
  /** The clock for applied_at; tests pass a fixed one. */
  now?: () => Date
}

export async function runMigrations(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  if (options.to !== undefined) resolveMigration(migrations, options.to)
  return withMigrationLock(handle, {timeoutMs: options.lockTimeoutMs, onWait: options.onLockWait}, () =>
    applyMigrations(handle, migrations, options),
  )
}

/** Applies pending migrations; the caller holds the migration lock. */
export async function applyMigrations(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const last = options.to === undefined ? migrations.length - 1 : resolveMigration(migrations, options.to)
  const now = options.now ?? (() => new Date())
  {
    const untracked = await untrackedApplicationTables(handle, migrations)
    if (untracked.length > 0) throw untrackedError(untracked)
    await ensureTrackingTable(handle.db)
    // Read under the lock: another process may have applied some while we waited.
    const applied = await readApplied(handle.db)
    const checksums = await checksumsFor(migrations, handle.dialect)
    const drift = findDrift(applied, checksums)
    if (drift.length > 0) throw driftError(drift)
    const done = new Set(applied.map((record) => record.name))
    const result: MigrateResult = {dialect: handle.dialect, target: handle.target, applied: [], current: null}
    for (const [index, migration] of migrations.entries()) {
      if (index > last || done.has(migration.name)) continue
      options.onMigration?.(migration.name)
      const started = performance.now()
      try {
        await handle.migrationTransaction(async (transaction) => {
          await migration.up(transaction)
          await transaction
            .insertInto(MIGRATIONS_TABLE)
            .values({
              name: migration.name,
              checksum: checksums.get(migration.name) as string,
              applied_at: now().toISOString(),
              execution_ms: Math.round(performance.now() - started),
            })
            .execute()
        })
      } catch (error) {
        throw migrationFailed(migration.name, 'up', error, lastApplied(migrations, done))
      }
      done.add(migration.name)
      result.applied.push({name: migration.name, durationMs: Math.round(performance.now() - started)})
    }
    result.current = lastApplied(migrations, done)
    return result
  }
}

function lastApplied(migrations: readonly Migration[], done: Set<string>): string | null {
  return [...migrations].reverse().find((migration) => done.has(migration.name))?.name ?? null
}

function migrationFailed(
  name: string,
  direction: 'up' | 'down',
  error: unknown,
  current: string | null,
): StorybookError {
  const message = error instanceof Error ? error.message : String(error)
  return new StorybookError('MIGRATION_FAILED', `Migration ${name} failed (${direction}): ${message}`, {
    reason: `Its transaction was rolled back; the database is at ${current ?? 'no migration'}.`,
    next: [`fix migrations/${name}.ts`, 'storybook db status'],
    details: {migration: name, direction, databaseError: message, current},
    cause: error,
  })
}

export interface RollbackOptions {
  steps?: number | undefined
  /** Roll back every migration after this one (name or number). */
  to?: string | undefined
  lockTimeoutMs?: number
  onLockWait?: () => void
  onMigration?: (name: string) => void
}

export async function rollbackMigrations(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  options: RollbackOptions = {},
): Promise<RollbackResult> {
  return withMigrationLock(handle, {timeoutMs: options.lockTimeoutMs, onWait: options.onLockWait}, async () => {
    const result: RollbackResult = {dialect: handle.dialect, target: handle.target, rolledBack: [], current: null}
    if (!(await trackingTableExists(handle))) return result
    const applied = await readApplied(handle.db)
    const drift = findDrift(applied, await checksumsFor(migrations, handle.dialect))
    if (drift.length > 0) throw driftError(drift)
    const done = new Set(applied.map((record) => record.name))
    const appliedInOrder = migrations.filter((migration) => done.has(migration.name))
    const keep =
      options.to === undefined
        ? Math.max(0, appliedInOrder.length - (options.steps ?? 1))
        : resolveMigration(migrations, options.to) + 1
    for (const migration of [...appliedInOrder].reverse()) {
      if (migrations.indexOf(migration) < keep) break
      options.onMigration?.(migration.name)
      const started = performance.now()
      try {
        await handle.migrationTransaction(async (transaction) => {
          await migration.down(transaction)
          await transaction.deleteFrom(MIGRATIONS_TABLE).where('name', '=', migration.name).execute()
        })
      } catch (error) {
        throw migrationFailed(migration.name, 'down', error, lastApplied(migrations, done))
      }
      done.delete(migration.name)
      result.rolledBack.push({name: migration.name, durationMs: Math.round(performance.now() - started)})
    }
    result.current = lastApplied(migrations, done)
    return result
  })
}

/** Records migrations as applied without running them (for adopting an existing database). */
export async function stampMigrations(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  names: string[],
  options: {lockTimeoutMs?: number; now?: () => Date} = {},
): Promise<void> {
  const now = options.now ?? (() => new Date())
  const checksums = await checksumsFor(migrations, handle.dialect)
  await withMigrationLock(handle, {timeoutMs: options.lockTimeoutMs}, async () => {
    await handle.db.transaction().execute(async (transaction) => {
      await ensureTrackingTable(transaction)
      for (const name of names) {
        await transaction
          .insertInto(MIGRATIONS_TABLE)
          .values({name, checksum: checksums.get(name) as string, applied_at: now().toISOString(), execution_ms: 0})
          .execute()
      }
    })
  })
}

export interface RepairResult {
  /** Migrations whose recorded checksum now matches the code. */
  realigned: string[]
  /** Applied migrations that are no longer in the code (left recorded; they cannot be undone). */
  missing: string[]
}

/**
 * Accepts the current code of changed migrations as what was applied (like Flyway's repair), after
 * a person has checked that the change is harmless. Records of missing migrations are kept.
 */
export async function repairChecksums(handle: DatabaseHandle, migrations: readonly Migration[]): Promise<RepairResult> {
  return withMigrationLock(handle, {}, async () => {
    if (!(await trackingTableExists(handle))) return {realigned: [], missing: []}
    const checksums = await checksumsFor(migrations, handle.dialect)
    const drift = findDrift(await readApplied(handle.db), checksums)
    const realigned: string[] = []
    for (const entry of drift.filter((item) => item.problem === 'changed')) {
      await handle.db
        .updateTable(MIGRATIONS_TABLE)
        .set({checksum: checksums.get(entry.name) as string})
        .where('name', '=', entry.name)
        .execute()
      realigned.push(entry.name)
    }
    return {realigned, missing: drift.filter((item) => item.problem === 'missing').map((item) => item.name)}
  })
}
