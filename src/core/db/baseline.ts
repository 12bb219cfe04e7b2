// Adopting a database made before migrations were tracked (like Alembic's stamp or Flyway's
// baseline): replay the migrations on an empty in-memory database to learn the schema after each
// one, find the point of that history the database matches (names, types, defaults, constraints),
// and stamp the migrations before it, but only when the answer is unambiguous. An explicit
// baseline target stamps up to a named migration without looking, for what cannot be decided.
import {StorybookError} from '../errors.js'
import {resolveBaselineTarget} from './baseline-target.js'
import {readColumnShapes, type ColumnShapes} from './column-shapes.js'
import type {DatabaseHandle, Dialect, SchemaSnapshot} from './handle.js'
import {stampMigrations, type Migration} from './migrator.js'
import {openSqlite} from './sqlite.js'
import {MIGRATIONS_TABLE} from './types.js'

/** unverifiable: the migration changes no schema (data, an empty template), so the schema cannot tell whether it ran. */
export type Presence = 'present' | 'absent' | 'partial' | 'unverifiable'

export interface MigrationPresence {
  name: string
  status: Presence
  /** Objects the migration creates that the database lacks (for partial ones). */
  missing: string[]
  /** Columns whose type or default differs from what the migration makes (partial ones only; absent when none). */
  mismatched?: string[]
}

export interface IntegrationPlan {
  dialect: Dialect
  target: string
  /** The database already records its migrations: nothing to adopt. */
  alreadyTracked: boolean
  /** The migration named by --baseline, or null when adoption compared the schema. */
  baseline: string | null
  /** Each migration compared with the database (empty with --baseline: nothing is checked). */
  migrations: MigrationPresence[]
  /** Migrations to record as applied. */
  stamp: string[]
  /** Migrations that `db migrate` will then apply. */
  pending: string[]
  /** Why the database cannot be adopted safely, or null. */
  refusal: string | null
  /**
   * When refused only because migrations that change no schema sit among the present ones: the last migration
   * whose schema is there, the --baseline to give if those did run. Otherwise null.
   */
  baselineCandidate: string | null
  /** Objects in the database that no migration creates (reported, never touched). */
  unexplained: string[]
  /** True once the stamp has been written. */
  stamped: boolean
}

const isColumnFact = (object: string) => object.startsWith('type ') || object.startsWith('default ')

/**
 * Every object of a snapshot as a readable name: tables, columns, indexes and foreign keys, and with
 * `columns` each column's type and default as `type t.c integer` and `default t.c 0`.
 */
export function schemaObjects(snapshot: SchemaSnapshot, columns?: ColumnShapes): Set<string> {
  const objects = new Set<string>()
  for (const [table, shape] of Object.entries(snapshot.tables)) {
    if (table === MIGRATIONS_TABLE) continue
    objects.add(`table ${table}`)
    for (const column of shape.columns) {
      objects.add(`column ${table}.${column}`)
      const facts = columns?.get(`${table}.${column}`)
      if (facts) {
        objects.add(`type ${table}.${column} ${facts.type}`)
        objects.add(`default ${table}.${column} ${facts.defaultValue}`)
      }
    }
    for (const column of shape.notNull) objects.add(`not null ${table}.${column}`)
    if (shape.primaryKey.length > 0) objects.add(`primary key ${table}(${shape.primaryKey.join(',')})`)
    for (const columns of shape.unique) objects.add(`unique ${table}(${columns})`)
    for (const index of shape.indexes) objects.add(`index ${index.replace('(', ` on ${table}(`)}`)
    for (const key of shape.foreignKeys) objects.add(`foreign key ${table}.${key.replace('->', ' -> ')}`)
  }
  return objects
}

/**
 * The schema after each prefix of the migrations (entry k: after the first k), found by applying
 * them one by one to an empty in-memory SQLite database. A migration that cannot run there (say,
 * PostgreSQL-only SQL) stops adoption by comparison; --baseline does not need this.
 */
export async function schemaHistory(migrations: readonly Migration[]): Promise<Array<Set<string>>> {
  const scratch = openSqlite(':memory:', {create: true})
  try {
    const snapshot = async () => schemaObjects(await scratch.introspect(), await readColumnShapes(scratch.db, 'sqlite'))
    const history = [await snapshot()]
    for (const migration of migrations) {
      try {
        await scratch.db.transaction().execute((transaction) => migration.up(transaction))
      } catch (error) {
        throw unreplayable(migration.name, error)
      }
      history.push(await snapshot())
    }
    return history
  } finally {
    await scratch.close()
  }
}

function unreplayable(name: string, error: unknown): StorybookError {
  const message = error instanceof Error ? error.message : String(error)
  return new StorybookError('CONFLICT', `${name} cannot be replayed on an empty SQLite database: ${message}`, {
    reason: 'Adoption learns what each migration makes by replaying it; this one cannot be compared.',
    next: ['storybook integrate-migrations --baseline <the last migration this database has>'],
    details: {migration: name, error: message},
  })
}

const difference = (a: Set<string>, b: Set<string>) => [...a].filter((object) => !b.has(object))

/** `pages.position: type integer expected, text found` for a missing type or default of a column that exists. */
function describeMismatch(object: string, actual: Set<string>): string | null {
  const [kind, column, ...rest] = object.split(' ')
  if (!kind || !column || !actual.has(`column ${column}`)) return null
  const found = [...actual].find((candidate) => candidate.startsWith(`${kind} ${column} `))
  return `${column}: ${kind} ${rest.join(' ')} expected, ${found ? found.slice(kind.length + column.length + 2) : 'none'} found`
}

/** What the migration between two schema states adds and removes, judged against the database. */
function classify(name: string, before: Set<string>, after: Set<string>, actual: Set<string>): MigrationPresence {
  const added = difference(after, before)
  const removed = difference(before, after)
  if (added.length === 0 && removed.length === 0) return {name, status: 'unverifiable', missing: []}
  const absentAdded = added.filter((object) => !actual.has(object))
  const remainingRemoved = removed.filter((object) => actual.has(object))
  const done = added.length - absentAdded.length + removed.length - remainingRemoved.length
  if (done === added.length + removed.length) return {name, status: 'present', missing: []}
  if (done === 0) return {name, status: 'absent', missing: []}
  const mismatched: string[] = []
  const missing: string[] = []
  for (const object of absentAdded) {
    if (!isColumnFact(object)) missing.push(object)
    else {
      const mismatch = describeMismatch(object, actual)
      if (mismatch) mismatched.push(mismatch)
    }
  }
  for (const object of remainingRemoved) if (!isColumnFact(object)) missing.push(`removal of ${object}`)
  return {name, status: 'partial', missing, ...(mismatched.length > 0 ? {mismatched} : {})}
}

type PlanFields = 'migrations' | 'stamp' | 'pending' | 'refusal' | 'baselineCandidate' | 'unexplained'

/**
 * Decides what may be stamped. Pure. The database must equal the schema after some prefix of the
 * migrations (objects no migration ever makes are left out). Migrations that change no schema
 * cannot be judged: after the matched point they stay pending (`db migrate` runs them); before it, the
 * database is refused, since stamping would skip their data and running them might repeat it.
 */
export function planIntegration(
  actual: Set<string>,
  names: readonly string[],
  history: ReadonlyArray<Set<string>>,
): Pick<IntegrationPlan, PlanFields> {
  const presence = names.map((name, index) =>
    classify(name, history[index] ?? new Set(), history[index + 1] ?? new Set(), actual),
  )
  const ever = new Set(history.flatMap((state) => [...state]))
  const relevant = new Set([...actual].filter((object) => ever.has(object)))
  const matched = history.findIndex(
    (state) => difference(state, actual).length === 0 && difference(relevant, state).length === 0,
  )
  const unexplained = [...actual].filter((object) => !ever.has(object) && !isColumnFact(object)).sort()
  const refuse = (refusal: string, baselineCandidate: string | null = null) => ({
    migrations: presence,
    stamp: [],
    pending: [],
    refusal,
    baselineCandidate,
    unexplained,
  })
  if (matched === -1) return refuse(explainNoMatch(presence))
  const undecidable = presence.slice(0, matched).filter((entry) => entry.status === 'unverifiable')
  if (undecidable.length > 0) {
    const list = undecidable.map((entry) => entry.name).join(', ')
    const one = undecidable.length === 1
    return refuse(
      `${list} ${one ? 'changes' : 'change'} no schema, so the database cannot show whether ${one ? 'it' : 'they'} ran ` +
        `(the migrations after ${one ? 'it are' : 'them are'} present)`,
      names[matched - 1] ?? null,
    )
  }
  return {
    migrations: presence,
    stamp: names.slice(0, matched),
    pending: names.slice(matched),
    refusal: null,
    baselineCandidate: null,
    unexplained,
  }
}

function explainNoMatch(presence: MigrationPresence[]): string {
  const reasons: string[] = []
  const partial = presence.filter((entry) => entry.status === 'partial')
  if (partial.length > 0) reasons.push(`partly present: ${partial.map((entry) => entry.name).join(', ')}`)
  const mismatched = partial.flatMap((entry) => entry.mismatched ?? [])
  if (mismatched.length > 0) reasons.push(`column types or defaults differ (${mismatched.join('; ')})`)
  const firstAbsent = presence.findIndex((entry) => entry.status === 'absent')
  const outOfOrder = firstAbsent === -1 ? [] : presence.slice(firstAbsent).filter((entry) => entry.status === 'present')
  if (outOfOrder.length > 0) {
    const list = outOfOrder.map((entry) => entry.name).join(', ')
    reasons.push(
      `${list} ${outOfOrder.length === 1 ? 'is' : 'are'} present although ${presence[firstAbsent]?.name} is not (out of order)`,
    )
  }
  return reasons.length > 0 ? reasons.join('; ') : 'the schema matches no point of the migration history'
}

export interface IntegrateOptions {
  /** Write the stamp (otherwise only plan). */
  apply: boolean
  /** Asked with the plan when `apply` is false; answering yes writes it. */
  confirm?: (plan: IntegrationPlan) => Promise<boolean>
  /** Stamp every migration up to and including this one (name or number) without comparing anything. */
  baseline?: string | undefined
  now?: () => Date
}

export async function integrateMigrations(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  options: IntegrateOptions,
): Promise<IntegrationPlan> {
  const names = migrations.map((migration) => migration.name)
  // Resolved first: a typo must be answered before anything is read.
  const target = options.baseline === undefined ? -1 : resolveBaselineTarget(names, options.baseline)
  const snapshot = await handle.introspect()
  const base = {dialect: handle.dialect, target: handle.target, stamped: false, baselineCandidate: null}
  // A tracking table without rows records nothing: the database is as untracked as without one.
  const tracked =
    MIGRATIONS_TABLE in snapshot.tables &&
    (await handle.db.selectFrom(MIGRATIONS_TABLE).select('name').limit(1).execute()).length > 0
  const baseline = target === -1 ? null : (names[target] ?? null)
  if (tracked) {
    return {
      ...base,
      alreadyTracked: true,
      baseline,
      migrations: [],
      stamp: [],
      pending: [],
      refusal: null,
      unexplained: [],
    }
  }
  const plan: IntegrationPlan =
    baseline === null
      ? {...base, alreadyTracked: false, baseline, ...(await compareWithHistory(handle, snapshot, migrations))}
      : {
          ...base,
          alreadyTracked: false,
          baseline,
          migrations: [],
          stamp: names.slice(0, target + 1),
          pending: names.slice(target + 1),
          refusal: null,
          unexplained: [],
        }
  if (plan.refusal !== null || plan.stamp.length === 0) return plan
  if (options.apply || (await options.confirm?.(plan))) {
    await stampMigrations(handle, migrations, plan.stamp, options.now ? {now: options.now} : {})
    plan.stamped = true
  }
  return plan
}

async function compareWithHistory(
  handle: DatabaseHandle,
  snapshot: SchemaSnapshot,
  migrations: readonly Migration[],
): Promise<Pick<IntegrationPlan, PlanFields>> {
  const actual = schemaObjects(snapshot, await readColumnShapes(handle.db, handle.dialect))
  const history = await schemaHistory(migrations)
  return planIntegration(
    actual,
    migrations.map((migration) => migration.name),
    history,
  )
}
