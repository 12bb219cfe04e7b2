// The migrator: applies and rolls back migrations one transaction each (unless a migration opts
// out), under a cross-process lock, and records what each applied migration ran (its statements
// and their checksum) so that later changes show up as drift and `db repair` can judge them.
// Written here rather than on kysely's Migrator, which returns errors instead of throwing, keeps
// no checksums and whose lock does nothing on SQLite.
import type {Kysely} from 'kysely'
import {NotFoundError, StorybookError} from '../errors.js'
import type {DatabaseHandle, Dialect} from './handle.js'
import {
  CHECKSUM_PREFIX,
  meaningfulDifference,
  recordMigration,
  type MigrationRecording,
  type RecordedStatement,
  type StatementDifference,
} from './migration-record.js'
import {MIGRATIONS_TABLE, type Database} from './types.js'

export {MigrationRecordingError, type RecordedStatement} from './migration-record.js'

export interface Migration {
  name: string
  up(db: Kysely<any>): Promise<void>
  down(db: Kysely<any>): Promise<void>
  /**
   * `export const transaction = false` in a migration runs it outside a transaction (still under
   * the migration lock), for statements PostgreSQL refuses inside one: `create index concurrently`.
   */
  transaction?: boolean
}

export interface AppliedMigration {
  name: string
  checksum: string
  appliedAt: string
  /** What was recorded when it was applied; null for rows written before statements were kept. */
  statements: RecordedStatement[] | null
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
 * A checksum of what a migration applies: `v2:` and the SHA-256 of its SQL and parameters.
 * Formatting, bundling and edits to `down` do not change it; changing what `up` does, a data value
 * included, does. Values that differ from run to run (the current time, random ids) are left out.
 */
export async function migrationChecksum(migration: Migration, dialect: Dialect): Promise<string> {
  return (await recordMigration(migration, dialect)).checksum
}

/** Tables the migrations create, from their recorded SQL. */
async function tablesCreatedBy(migrations: readonly Migration[], dialect: Dialect): Promise<Set<string>> {
  const tables = new Set<string>()
  for (const migration of migrations) {
    for (const statement of (await recordMigration(migration, dialect)).statements) {
      const match = /^create table (?:if not exists )?"([^"]+)"/i.exec(statement.sql)
      if (match?.[1]) tables.add(match[1])
    }
  }
  return tables
}

/** Whether the tracking table exists, and whether it has the statements column (added in checksum v2). */
async function trackingTableLayout(handle: DatabaseHandle): Promise<{exists: boolean; statements: boolean}> {
  const tables = await handle.db.introspection.getTables()
  const table = tables.find((candidate) => candidate.name === MIGRATIONS_TABLE)
  return {
    exists: table !== undefined,
    statements: table?.columns.some((column) => column.name === 'statements') ?? false,
  }
}

async function trackingTableExists(handle: DatabaseHandle): Promise<boolean> {
  return (await trackingTableLayout(handle)).exists
}

/** Application tables in a database that records no applied migration: it needs adopting first. */
async function untrackedApplicationTables(handle: DatabaseHandle, migrations: readonly Migration[]): Promise<string[]> {
  if ((await trackingTableExists(handle)) && (await readApplied(handle)).length > 0) return []
  const present = Object.keys((await handle.introspect()).tables)
  const ours = await tablesCreatedBy(migrations, handle.dialect)
  return present.filter((table) => ours.has(table))
}

async function readApplied(handle: DatabaseHandle): Promise<AppliedMigration[]> {
  const withStatements = (await trackingTableLayout(handle)).statements
  const rows = await (handle.db as Kysely<any>)
    .selectFrom(MIGRATIONS_TABLE)
    .select(['name', 'checksum', 'applied_at', ...(withStatements ? ['statements'] : [])])
    .orderBy('name')
    .execute()
  type Row = {name: string; checksum: string; applied_at: string; statements?: string | null}
  return (rows as Row[]).map((row) => ({
    name: row.name,
    checksum: row.checksum,
    appliedAt: row.applied_at,
    statements: row.statements ? (JSON.parse(row.statements) as RecordedStatement[]) : null,
  }))
}

/**
 * The applied migrations as one string (names and checksums): one small read that changes
 * whenever a migrate, rollback, stamp or repair does. Empty when nothing is tracked yet.
 */
export async function appliedMigrationsKey(handle: DatabaseHandle): Promise<string> {
  try {
    const rows = await handle.db.selectFrom(MIGRATIONS_TABLE).select(['name', 'checksum']).orderBy('name').execute()
    return rows.map((row) => `${row.name}:${row.checksum}`).join(',')
  } catch (error) {
    if (await trackingTableExists(handle)) throw error
    return ''
  }
}

/** Creates the tracking table, or adds the statements column to one made by an older version. */
async function ensureTrackingTable(handle: DatabaseHandle, db: Kysely<any> = handle.db): Promise<void> {
  await db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn('name', 'text', (column) => column.primaryKey())
    .addColumn('checksum', 'text', (column) => column.notNull())
    .addColumn('applied_at', 'text', (column) => column.notNull())
    .addColumn('execution_ms', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('statements', 'text')
    .execute()
  if (!(await trackingTableLayout(handle)).statements) {
    await db.schema.alterTable(MIGRATIONS_TABLE).addColumn('statements', 'text').execute()
  }
}

/** A checksum from before v2 (SQL only) that still matches the code: not drift, upgraded on the next write. */
function isLegacyMatch(record: AppliedMigration, recording: MigrationRecording): boolean {
  return !record.checksum.startsWith(CHECKSUM_PREFIX) && record.checksum === recording.legacyChecksum
}

function findDrift(applied: AppliedMigration[], recordings: Map<string, MigrationRecording>): DriftEntry[] {
  const drift: DriftEntry[] = []
  for (const record of applied) {
    const recording = recordings.get(record.name)
    if (recording === undefined) drift.push({name: record.name, problem: 'missing'})
    else if (recording.checksum !== record.checksum && !isLegacyMatch(record, recording))
      drift.push({name: record.name, problem: 'changed'})
  }
  return drift
}

async function recordingsFor(
  migrations: readonly Migration[],
  dialect: Dialect,
): Promise<Map<string, MigrationRecording>> {
  const entries: Array<[string, MigrationRecording]> = []
  for (const migration of migrations) entries.push([migration.name, await recordMigration(migration, dialect)])
  return new Map(entries)
}

/** Rewrites legacy checksums that match the code as v2 ones, with their statements; the caller holds the lock. */
async function upgradeLegacyRecords(
  handle: DatabaseHandle,
  applied: AppliedMigration[],
  recordings: Map<string, MigrationRecording>,
): Promise<void> {
  for (const record of applied) {
    const recording = recordings.get(record.name)
    if (recording && isLegacyMatch(record, recording)) await writeRecording(handle.db, record.name, recording)
  }
}

async function writeRecording(db: Kysely<Database>, name: string, recording: MigrationRecording): Promise<void> {
  await db
    .updateTable(MIGRATIONS_TABLE)
    .set({checksum: recording.checksum, statements: JSON.stringify(recording.statements)})
    .where('name', '=', name)
    .execute()
}

export async function getMigrationStatus(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
): Promise<MigrationStatus> {
  const tracked = await trackingTableExists(handle)
  const applied = tracked ? await readApplied(handle) : []
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
    drift: findDrift(applied, await recordingsFor(migrations, handle.dialect)),
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
  const missing = drift.some((entry) => entry.problem === 'missing')
  return new StorybookError('MIGRATION_DRIFT', `Applied migrations differ from the code:\n${lines.join('\n')}`, {
    reason: 'An applied migration must never be edited or removed; write a new migration instead.',
    next: [
      'git diff migrations/',
      'storybook db new <name>',
      'storybook db repair   # accepts an edit only if it is harmless',
      ...(missing ? ['storybook db repair --forget-missing   # if the removal was deliberate'] : []),
    ],
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

function behindError(current: string, to: string): StorybookError {
  return new StorybookError(
    'CONFLICT',
    `The database is at ${current}, past ${to}: db migrate does not undo migrations.`,
    {
      reason: `--to ${to} names a migration behind the current one; going back is a rollback.`,
      next: [`storybook db rollback --to ${to}`],
      details: {current, to},
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

interface MigrationPlan {
  /** The migrations to apply, in order. */
  pending: Migration[]
  applied: AppliedMigration[]
  recordings: Map<string, MigrationRecording>
  done: Set<string>
}

/** What `db migrate` would apply; refuses as it would (untracked, drift, a --to behind the current one). */
async function planMigrations(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  to: string | undefined,
): Promise<MigrationPlan> {
  const last = to === undefined ? migrations.length - 1 : resolveMigration(migrations, to)
  const untracked = await untrackedApplicationTables(handle, migrations)
  if (untracked.length > 0) throw untrackedError(untracked)
  const applied = (await trackingTableExists(handle)) ? await readApplied(handle) : []
  const recordings = await recordingsFor(migrations, handle.dialect)
  const drift = findDrift(applied, recordings)
  if (drift.length > 0) throw driftError(drift)
  const done = new Set(applied.map((record) => record.name))
  const current = lastApplied(migrations, done)
  if (to !== undefined && current !== null && migrations.findIndex((migration) => migration.name === current) > last) {
    throw behindError(current, (migrations[last] as Migration).name)
  }
  const pending = migrations.filter((migration, index) => index <= last && !done.has(migration.name))
  return {pending, applied, recordings, done}
}

export interface MigrationPreview {
  name: string
  /** False for a migration that runs outside a transaction. */
  transaction: boolean
  statements: RecordedStatement[]
  /** The migration reads data; a preview gets none, so what it does after that is not shown. */
  stoppedAfterRead: boolean
}

export interface MigratePreview {
  dialect: Dialect
  target: string
  migrations: MigrationPreview[]
}

/** The SQL each pending migration would run, from the recordings checksums are made of. Writes nothing. */
export async function previewMigrations(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  options: {to?: string | undefined} = {},
): Promise<MigratePreview> {
  const plan = await planMigrations(handle, migrations, options.to)
  return {
    dialect: handle.dialect,
    target: handle.target,
    migrations: plan.pending.map((migration) => {
      const recording = plan.recordings.get(migration.name) as MigrationRecording
      return {
        name: migration.name,
        transaction: migration.transaction !== false,
        statements: recording.statements,
        stoppedAfterRead: recording.stoppedAfterRead,
      }
    }),
  }
}

/** Applies pending migrations; the caller holds the migration lock. */
export async function applyMigrations(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const now = options.now ?? (() => new Date())
  // Planned under the lock: another process may have applied some while we waited.
  const plan = await planMigrations(handle, migrations, options.to)
  await ensureTrackingTable(handle)
  await upgradeLegacyRecords(handle, plan.applied, plan.recordings)
  const {done} = plan
  const result: MigrateResult = {dialect: handle.dialect, target: handle.target, applied: [], current: null}
  for (const migration of plan.pending) {
    options.onMigration?.(migration.name)
    const started = performance.now()
    const recording = plan.recordings.get(migration.name) as MigrationRecording
    const step = async (db: Kysely<any>) => {
      await migration.up(db)
      await db
        .insertInto(MIGRATIONS_TABLE)
        .values({
          name: migration.name,
          checksum: recording.checksum,
          statements: JSON.stringify(recording.statements),
          applied_at: now().toISOString(),
          execution_ms: Math.round(performance.now() - started),
        })
        .execute()
    }
    try {
      await runStep(handle, migration, step)
    } catch (error) {
      throw migrationFailed(migration, 'up', error, lastApplied(migrations, done))
    }
    done.add(migration.name)
    result.applied.push({name: migration.name, durationMs: Math.round(performance.now() - started)})
  }
  result.current = lastApplied(migrations, done)
  return result
}

/** One migration step: in its own transaction, or straight on the database when the migration opts out. */
async function runStep(handle: DatabaseHandle, migration: Migration, step: (db: Kysely<any>) => Promise<void>) {
  if (migration.transaction === false) await step(handle.db)
  else await handle.migrationTransaction(step)
}

function lastApplied(migrations: readonly Migration[], done: Set<string>): string | null {
  return [...migrations].reverse().find((migration) => done.has(migration.name))?.name ?? null
}

function migrationFailed(
  migration: Migration,
  direction: 'up' | 'down',
  error: unknown,
  current: string | null,
): StorybookError {
  const {name} = migration
  const message = error instanceof Error ? error.message : String(error)
  const outside = migration.transaction === false
  return new StorybookError('MIGRATION_FAILED', `Migration ${name} failed (${direction}): ${message}`, {
    reason: outside
      ? 'It runs outside a transaction (transaction = false), so what it did before failing stays; it is not ' +
        `recorded, and the database is at ${current ?? 'no migration'}.`
      : `Its transaction was rolled back; the database is at ${current ?? 'no migration'}.`,
    next: [`fix migrations/${name}.ts`, 'storybook db status'],
    details: {migration: name, direction, databaseError: message, current, transaction: !outside},
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
    const applied = await readApplied(handle)
    const drift = findDrift(applied, await recordingsFor(migrations, handle.dialect))
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
        await runStep(handle, migration, async (db) => {
          await migration.down(db)
          await db.deleteFrom(MIGRATIONS_TABLE).where('name', '=', migration.name).execute()
        })
      } catch (error) {
        throw migrationFailed(migration, 'down', error, lastApplied(migrations, done))
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
  const recordings = await recordingsFor(migrations, handle.dialect)
  await withMigrationLock(handle, {timeoutMs: options.lockTimeoutMs}, async () => {
    await ensureTrackingTable(handle)
    await handle.db.transaction().execute(async (transaction) => {
      for (const name of names) {
        const recording = recordings.get(name) as MigrationRecording
        await transaction
          .insertInto(MIGRATIONS_TABLE)
          .values({
            name,
            checksum: recording.checksum,
            statements: JSON.stringify(recording.statements),
            applied_at: now().toISOString(),
            execution_ms: 0,
          })
          .execute()
      }
    })
  })
}

export interface RepairResult {
  /** Changed migrations whose edit was harmless: their current checksums and statements are recorded. */
  realigned: string[]
  /** Applied migrations no longer in the code whose records were removed (--forget-missing). */
  forgotten: string[]
  /** Applied migrations no longer in the code, still recorded (without --forget-missing). */
  missing: string[]
}

export interface RepairOptions {
  /** Remove the records of applied migrations that are no longer in the code. */
  forgetMissing?: boolean
  lockTimeoutMs?: number
}

/** Why an edit to an applied migration cannot be accepted: what it changes, or that it cannot be checked. */
interface RefusedEdit {
  name: string
  /** Null when the migration was applied by a version that did not keep its statements. */
  difference: StatementDifference | null
}

function harmfulEditError(refused: RefusedEdit[]): StorybookError {
  const lines = refused.map(({name, difference}) =>
    difference === null
      ? `  ${name}: applied by an older version that did not keep its SQL, so the edit cannot be checked`
      : [
          `  ${name}, statement ${difference.position}:`,
          `    applied: ${difference.applied ?? '(none)'}`,
          `    now:     ${difference.now ?? '(none)'}`,
        ].join('\n'),
  )
  const first = (refused[0] as RefusedEdit).name
  return new StorybookError(
    'MIGRATION_DRIFT',
    `Not repaired: the edit to ${refused.map((entry) => entry.name).join(', ')} changes what it does.\n${lines.join('\n')}`,
    {
      reason:
        'repair accepts only edits that leave the SQL and its values the same but for whitespace, comments, case and ' +
        'quoting; the database holds what the applied version did. Nothing was written.',
      next: [
        `git log -p -- migrations/${first}.ts   # find the applied version`,
        `git checkout <commit> -- migrations/${first}.ts   # put it back`,
        'storybook db new <name>   # make the change as a new migration',
      ],
      details: {refused},
    },
  )
}

/** The changed migrations whose edits are not harmless, with the first difference of each. */
function refusedEdits(
  applied: AppliedMigration[],
  changed: string[],
  recordings: Map<string, MigrationRecording>,
): RefusedEdit[] {
  const refused: RefusedEdit[] = []
  for (const name of changed) {
    const record = applied.find((candidate) => candidate.name === name) as AppliedMigration
    const recording = recordings.get(name) as MigrationRecording
    if (record.statements === null) {
      refused.push({name, difference: null})
      continue
    }
    const difference = meaningfulDifference(record.statements, recording.statements)
    if (difference !== null) refused.push({name, difference})
  }
  return refused
}

/**
 * Accepts edits to applied migrations that do not change what they do (like Flyway's repair, but
 * checked): the SQL recorded now must match the SQL recorded when it was applied, but for
 * whitespace, comments, case and quoting, with the same values. Any other edit is refused and
 * nothing is written. With `forgetMissing`, records of migrations no longer in the code are removed.
 */
export async function repairChecksums(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  options: RepairOptions = {},
): Promise<RepairResult> {
  return withMigrationLock(handle, {timeoutMs: options.lockTimeoutMs}, async () => {
    const result: RepairResult = {realigned: [], forgotten: [], missing: []}
    if (!(await trackingTableExists(handle))) return result
    const recordings = await recordingsFor(migrations, handle.dialect)
    const applied = await readApplied(handle)
    const drift = findDrift(applied, recordings)
    const changed = drift.filter((entry) => entry.problem === 'changed').map((entry) => entry.name)
    const missing = drift.filter((entry) => entry.problem === 'missing').map((entry) => entry.name)
    const refused = refusedEdits(applied, changed, recordings)
    if (refused.length > 0) throw harmfulEditError(refused)
    await ensureTrackingTable(handle)
    await handle.db.transaction().execute(async (transaction) => {
      for (const name of changed) await writeRecording(transaction, name, recordings.get(name) as MigrationRecording)
      if (options.forgetMissing) {
        for (const name of missing) await transaction.deleteFrom(MIGRATIONS_TABLE).where('name', '=', name).execute()
      }
    })
    await upgradeLegacyRecords(handle, applied, recordings)
    return {
      realigned: changed,
      forgotten: options.forgetMissing ? missing : [],
      missing: options.forgetMissing ? [] : missing,
    }
  })
}
