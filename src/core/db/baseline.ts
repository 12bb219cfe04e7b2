// Adopting a database made before migrations were tracked (like Alembic's stamp or Flyway's
// baseline): compare what each migration creates with what the database holds, and stamp the
// migrations that are already there, but only when the answer is unambiguous.
import type {DatabaseHandle, Dialect, SchemaSnapshot} from './handle.js'
import {stampMigrations, type Migration} from './migrator.js'
import {openSqlite} from './sqlite.js'
import {MIGRATIONS_TABLE} from './types.js'

export type Presence = 'present' | 'absent' | 'partial'

export interface MigrationPresence {
  name: string
  status: Presence
  /** Objects the migration creates that the database lacks (for partial ones). */
  missing: string[]
}

export interface IntegrationPlan {
  dialect: Dialect
  target: string
  /** The database already records its migrations: nothing to adopt. */
  alreadyTracked: boolean
  migrations: MigrationPresence[]
  /** Migrations to record as applied: the contiguous present prefix. */
  stamp: string[]
  /** Migrations that `db migrate` will then apply. */
  pending: string[]
  /** Why the database cannot be adopted safely, or null. */
  refusal: string | null
  /** Objects in the database that no migration creates (reported, never touched). */
  unexplained: string[]
  /** True once the stamp has been written (with --yes). */
  stamped: boolean
}

/** Every object of a snapshot as a readable name: tables, columns, indexes and foreign keys. */
export function schemaObjects(snapshot: SchemaSnapshot): Set<string> {
  const objects = new Set<string>()
  for (const [table, shape] of Object.entries(snapshot.tables)) {
    if (table === MIGRATIONS_TABLE) continue
    objects.add(`table ${table}`)
    for (const column of shape.columns) objects.add(`column ${table}.${column}`)
    for (const column of shape.notNull) objects.add(`not null ${table}.${column}`)
    if (shape.primaryKey.length > 0) objects.add(`primary key ${table}(${shape.primaryKey.join(',')})`)
    for (const columns of shape.unique) objects.add(`unique ${table}(${columns})`)
    for (const index of shape.indexes) objects.add(`index ${index.replace('(', ` on ${table}(`)}`)
    for (const key of shape.foreignKeys) objects.add(`foreign key ${table}.${key.replace('->', ' -> ')}`)
  }
  return objects
}

/** What each migration creates, found by applying them one by one to an empty in-memory database. */
export async function objectsCreatedBy(migrations: readonly Migration[]): Promise<string[][]> {
  const scratch = openSqlite(':memory:', {create: true})
  try {
    let before = new Set<string>()
    const created: string[][] = []
    for (const migration of migrations) {
      await scratch.db.transaction().execute((transaction) => migration.up(transaction))
      const after = schemaObjects(await scratch.introspect())
      created.push([...after].filter((object) => !before.has(object)))
      before = after
    }
    return created
  } finally {
    await scratch.close()
  }
}

/** Classifies each migration against the database and decides what may be stamped. Pure. */
export function planIntegration(
  actual: Set<string>,
  migrations: ReadonlyArray<{name: string; creates: string[]}>,
): Pick<IntegrationPlan, 'migrations' | 'stamp' | 'pending' | 'refusal' | 'unexplained'> {
  const presence: MigrationPresence[] = migrations.map(({name, creates}) => {
    const missing = creates.filter((object) => !actual.has(object))
    const status: Presence = missing.length === 0 ? 'present' : missing.length === creates.length ? 'absent' : 'partial'
    return {name, status, missing: status === 'partial' ? missing : []}
  })
  const firstNotPresent = presence.findIndex((entry) => entry.status !== 'present')
  const prefix = firstNotPresent === -1 ? presence.length : firstNotPresent
  const partial = presence.filter((entry) => entry.status === 'partial')
  const outOfOrder = presence.slice(prefix).filter((entry) => entry.status === 'present')
  const refusals: string[] = []
  if (partial.length > 0) refusals.push(`partly present: ${partial.map((entry) => entry.name).join(', ')}`)
  if (outOfOrder.length > 0) {
    const missing = presence[prefix]?.name
    refusals.push(
      `${outOfOrder.map((entry) => entry.name).join(', ')} ${outOfOrder.length === 1 ? 'is' : 'are'} present although ${missing} is not (out of order)`,
    )
  }
  const explained = new Set(migrations.flatMap((migration) => migration.creates))
  return {
    migrations: presence,
    stamp: refusals.length > 0 ? [] : presence.slice(0, prefix).map((entry) => entry.name),
    pending: refusals.length > 0 ? [] : presence.slice(prefix).map((entry) => entry.name),
    refusal: refusals.length > 0 ? refusals.join('; ') : null,
    unexplained: [...actual].filter((object) => !explained.has(object)).sort(),
  }
}

export async function integrateMigrations(
  handle: DatabaseHandle,
  migrations: readonly Migration[],
  options: {apply: boolean; now?: () => Date},
): Promise<IntegrationPlan> {
  const snapshot = await handle.introspect()
  const base = {dialect: handle.dialect, target: handle.target, stamped: false}
  // A tracking table without rows records nothing: the database is as untracked as without one.
  const tracked =
    MIGRATIONS_TABLE in snapshot.tables &&
    (await handle.db.selectFrom(MIGRATIONS_TABLE).select('name').limit(1).execute()).length > 0
  if (tracked) {
    return {...base, alreadyTracked: true, migrations: [], stamp: [], pending: [], refusal: null, unexplained: []}
  }
  const created = await objectsCreatedBy(migrations)
  const plan = planIntegration(
    schemaObjects(snapshot),
    migrations.map((migration, index) => ({name: migration.name, creates: created[index] ?? []})),
  )
  const result: IntegrationPlan = {...base, alreadyTracked: false, ...plan}
  if (options.apply && plan.refusal === null && plan.stamp.length > 0) {
    await stampMigrations(handle, migrations, plan.stamp, options.now ? {now: options.now} : {})
    result.stamped = true
  }
  return result
}
