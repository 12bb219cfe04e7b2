// The `db` command family: migrate, status, rollback, seed, reset, and the check that the CLI was
// built with every migration in migrations/. Options in, typed results out; no flags, no exits.
import {readdir, rename, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {MIGRATIONS} from '../../migrations/index.js'
import type {AppConfig} from '../core/config/load.js'
import {integrateMigrations, type IntegrationPlan} from '../core/db/baseline.js'
import {resolveBaselineTarget} from '../core/db/baseline-target.js'
import {databaseExists, withDatabase} from '../core/db/connection.js'
import {
  applyMigrations,
  getMigrationStatus,
  previewMigrations,
  repairChecksums,
  resolveMigration,
  rollbackMigrations,
  runMigrations,
  withMigrationLock,
  type RepairResult,
  type MigratePreview,
  type MigrateResult,
  type Migration,
  type MigrationStatus,
  type RollbackResult,
} from '../core/db/migrator.js'
import {seedDemoData, type SeedResult} from '../core/db/seed.js'
import {withDatabaseWhenReady, type WaitOptions} from '../core/db/wait.js'
import {StorybookError} from '../core/errors.js'

export interface DbContext {
  config: AppConfig
  /** The migrations to work with; the built-in list unless a test passes its own. */
  migrations?: readonly Migration[]
}

const migrationsOf = (context: DbContext) => context.migrations ?? MIGRATIONS

/**
 * Migration files in the project's migrations/ folder that this build of the CLI does not
 * contain (written after the last build). Only a warning: migrations are never loaded by scanning.
 */
export async function findUnbuiltMigrations(
  root: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  let files: string[]
  try {
    files = await readdir(join(root, 'migrations'))
  } catch {
    return [] // an installed CLI without the sources: nothing to compare
  }
  const known = new Set(migrations.map((migration) => migration.name))
  return files
    .filter((file) => /^\d{4}_[\w-]+\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .filter((name) => !known.has(name))
    .sort()
}

export type DbStatusResult = MigrationStatus & {unbuilt: string[]}

export async function databaseStatus(context: DbContext): Promise<DbStatusResult> {
  const {config} = context
  const migrations = migrationsOf(context)
  const unbuilt = await findUnbuiltMigrations(config.root, migrations)
  if (!databaseExists(config.database)) {
    // Reading the status must not create the database file.
    const target = config.database.dialect === 'sqlite' ? config.database.file : config.database.url
    return {
      dialect: config.database.dialect,
      target,
      tracked: false,
      migrations: migrations.map((migration) => ({name: migration.name, status: 'pending', appliedAt: null})),
      pending: migrations.length,
      drift: [],
      untrackedTables: [],
      unbuilt,
    }
  }
  const status = await withDatabase(config.database, {create: false, readonly: true}, (handle) =>
    getMigrationStatus(handle, migrations),
  )
  return {...status, unbuilt}
}

export interface DbMigrateOptions extends DbContext {
  to?: string | undefined
  /** Wait this long (ms) for a database that is still starting, instead of failing at once. */
  waitMs?: number | undefined
  /** Called once when the database is not ready and waiting starts. */
  onWait?: (error: unknown) => void
  onMigration?: (name: string) => void
  onLockWait?: () => void
}

function waitOptions(options: DbMigrateOptions): WaitOptions | undefined {
  if (options.waitMs === undefined) return undefined
  return {timeoutMs: options.waitMs, ...(options.onWait ? {onWait: options.onWait} : {})}
}

export async function migrateDatabase(options: DbMigrateOptions): Promise<MigrateResult> {
  const migrations = migrationsOf(options)
  if (options.to !== undefined) resolveMigration(migrations, options.to) // a typo must not create the database
  return withDatabaseWhenReady(options.config.database, {create: true}, waitOptions(options), (handle) =>
    runMigrations(handle, migrations, {
      to: options.to,
      ...(options.onMigration ? {onMigration: options.onMigration} : {}),
      ...(options.onLockWait ? {onLockWait: options.onLockWait} : {}),
    }),
  )
}

/** `db migrate --dry-run`: the SQL of each pending migration, applying nothing and creating no database. */
export async function previewDatabaseMigrations(options: DbMigrateOptions): Promise<MigratePreview> {
  const migrations = migrationsOf(options)
  const {database} = options.config
  if (options.to !== undefined) resolveMigration(migrations, options.to)
  if (database.dialect === 'sqlite' && !databaseExists(database)) {
    // Nothing to compare with yet: every migration is pending, as on an empty database.
    const preview = await withDatabase({...database, file: ':memory:'}, {create: true}, (handle) =>
      previewMigrations(handle, migrations, {to: options.to}),
    )
    return {...preview, target: database.file}
  }
  return withDatabaseWhenReady(database, {create: false, readonly: true}, waitOptions(options), (handle) =>
    previewMigrations(handle, migrations, {to: options.to}),
  )
}

export async function repairDatabase(context: DbContext & {forgetMissing?: boolean}): Promise<RepairResult> {
  requireDatabase(context.config)
  return withDatabase(context.config.database, {create: false}, (handle) =>
    repairChecksums(handle, migrationsOf(context), {forgetMissing: context.forgetMissing ?? false}),
  )
}

export interface DbRollbackOptions extends DbContext {
  steps?: number | undefined
  to?: string | undefined
  onMigration?: (name: string) => void
}

export async function rollbackDatabase(options: DbRollbackOptions): Promise<RollbackResult> {
  requireDatabase(options.config)
  return withDatabase(options.config.database, {create: false}, (handle) =>
    rollbackMigrations(handle, migrationsOf(options), {
      steps: options.steps,
      to: options.to,
      ...(options.onMigration ? {onMigration: options.onMigration} : {}),
    }),
  )
}

export async function seedDatabase(context: DbContext): Promise<SeedResult> {
  requireDatabase(context.config)
  return withDatabase(context.config.database, {create: false}, async (handle) => {
    const status = await getMigrationStatus(handle, migrationsOf(context))
    if (status.pending > 0) {
      throw new StorybookError(
        'CONFLICT',
        `The database is ${status.pending} migration${status.pending === 1 ? '' : 's'} behind; seeding needs the full schema.`,
        {
          next: ['storybook db migrate', 'storybook db seed'],
        },
      )
    }
    return seedDemoData(handle.db)
  })
}

export interface DbResetResult {
  dropped: string[]
  migrate: MigrateResult
  /** Where a database too damaged to open was moved, or null. */
  damagedCopy: string | null
}

export async function resetDatabase(context: DbContext): Promise<DbResetResult> {
  const {database} = context.config
  let damaged: string | null = null
  if (database.dialect === 'sqlite' && databaseExists(database)) {
    const {checkSqliteFile} = await import('../core/db/sqlite.js')
    if (checkSqliteFile(database.file)?.startsWith('not a SQLite database')) {
      // Too damaged to open: set it aside (never delete what might be rescued) and start afresh.
      damaged = `${database.file}.damaged-${Date.now()}`
      await rename(database.file, damaged)
      for (const suffix of ['-wal', '-shm']) await rm(`${database.file}${suffix}`, {force: true})
    }
  }
  return withDatabase(database, {create: true}, (handle) =>
    withMigrationLock(handle, {}, async () => {
      const dropped = Object.keys((await handle.introspect()).tables)
      await handle.dropAllTables()
      const migrate = await applyMigrations(handle, migrationsOf(context))
      return {dropped, migrate, damagedCopy: damaged}
    }),
  )
}

function requireDatabase(config: AppConfig): void {
  if (!databaseExists(config.database)) {
    throw new StorybookError(
      'NOT_FOUND',
      `There is no database yet at ${config.database.dialect === 'sqlite' ? config.database.file : 'the configured URL'}.`,
      {
        next: ['storybook db migrate'],
      },
    )
  }
}

export interface AdoptOptions extends DbContext {
  /** Write the stamp without asking. */
  apply: boolean
  /** Stamp up to and including this migration without comparing the schema (like alembic stamp). */
  baseline?: string | undefined
  /** Asked with the plan when `apply` is false; answering yes writes it. */
  confirm?: (plan: IntegrationPlan) => Promise<boolean>
}

/** Adopts a database made before migrations were tracked; refuses with a readable diff when unsure. */
export async function adoptDatabase(options: AdoptOptions): Promise<IntegrationPlan> {
  // A typo is answered before anything is opened.
  if (options.baseline !== undefined) {
    resolveBaselineTarget(
      migrationsOf(options).map((migration) => migration.name),
      options.baseline,
    )
  }
  requireDatabase(options.config)
  const plan = await withDatabase(options.config.database, {create: false}, (handle) =>
    integrateMigrations(handle, migrationsOf(options), {
      apply: options.apply,
      baseline: options.baseline,
      ...(options.confirm ? {confirm: options.confirm} : {}),
    }),
  )
  if (plan.alreadyTracked && plan.baseline !== null) {
    throw new StorybookError('CONFLICT', 'The database already records applied migrations; nothing was stamped.', {
      reason: '--baseline adopts an untracked database; a tracked one moves with db migrate and db rollback.',
      next: ['storybook db status'],
    })
  }
  if (plan.refusal) throw adoptionRefused(plan)
  return plan
}

function adoptionRefused(plan: IntegrationPlan): StorybookError {
  const baseline = plan.baselineCandidate
  return new StorybookError(
    'CONFLICT',
    `This database cannot be adopted safely: ${plan.refusal}.\n${describePresence(plan)}`,
    {
      reason: baseline
        ? 'Migrations that change no schema leave no trace to compare; nothing was written.'
        : 'Only a database whose schema matches the migrations up to one of them can be stamped; nothing was written.',
      next: baseline
        ? [
            `storybook integrate-migrations --baseline ${baseline}   # if they ran (if not, apply their data by hand first)`,
          ]
        : [
            'storybook db backup',
            'fix the schema by hand, then: storybook integrate-migrations',
            'storybook integrate-migrations --baseline <migration>   # if you know the last one it has',
          ],
      details: {migrations: plan.migrations, unexplained: plan.unexplained, baselineCandidate: baseline},
    },
  )
}

/** One line per migration, with what is missing or different for partly present ones: the diff people read. */
export function describePresence(plan: IntegrationPlan): string {
  const lines: string[] = []
  for (const entry of plan.migrations) {
    const note = entry.status === 'unverifiable' ? '  (changes no schema: cannot tell whether it ran)' : ''
    lines.push(`  ${entry.status.padEnd(12)} ${entry.name}${note}`)
    for (const object of entry.missing) lines.push(`                 missing ${object}`)
    for (const mismatch of entry.mismatched ?? []) lines.push(`                 differs ${mismatch}`)
  }
  if (plan.unexplained.length > 0)
    lines.push(`  not made by any migration (left alone): ${plan.unexplained.join(', ')}`)
  return lines.join('\n')
}
