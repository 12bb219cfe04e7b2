// The migrator, baseline and seed against both real databases: SQLite files and a PostgreSQL
// cluster started for the run. The same tests, the same expectations.
import {randomUUID} from 'node:crypto'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {sql, type Kysely} from 'kysely'
import {afterEach, beforeEach, describe, expect, inject, it} from 'vitest'
import {MIGRATIONS} from '../../migrations/index.js'
import type {DatabaseConfig} from '../../src/core/config/load.js'
import {integrateMigrations} from '../../src/core/db/baseline.js'
import {openDatabase} from '../../src/core/db/connection.js'
import type {DatabaseHandle} from '../../src/core/db/handle.js'
import {
  getMigrationStatus,
  migrationChecksum,
  rollbackMigrations,
  runMigrations,
  type Migration,
} from '../../src/core/db/migrator.js'
import {DEMO_EMAIL, seedDemoData} from '../../src/core/db/seed.js'
import {StorybookError} from '../../src/core/errors.js'
import {createDatabase} from '../helpers/postgres.js'

const dialects = ['sqlite', 'postgres'] as const

async function databaseFor(
  dialect: (typeof dialects)[number],
): Promise<{config: DatabaseConfig; cleanup: () => Promise<void>}> {
  if (dialect === 'sqlite') {
    const directory = await mkdtemp(join(tmpdir(), 'storybook-db-'))
    const file = join(directory, 'test.db')
    return {
      config: {dialect: 'sqlite', url: `sqlite:${file}`, file},
      cleanup: () => rm(directory, {recursive: true, force: true}),
    }
  }
  const url = await createDatabase(inject('postgresUrl'), `test_${randomUUID().replaceAll('-', '')}`)
  return {config: {dialect: 'postgres', url}, cleanup: async () => {}}
}

async function tableNames(handle: DatabaseHandle): Promise<string[]> {
  return Object.keys((await handle.introspect()).tables).sort()
}

describe.each(dialects)('migrations on %s', (dialect) => {
  let handle: DatabaseHandle
  let cleanup: () => Promise<void>
  beforeEach(async () => {
    const database = await databaseFor(dialect)
    cleanup = database.cleanup
    handle = await openDatabase(database.config, {create: true})
  })
  afterEach(async () => {
    await handle.close()
    await cleanup()
  })

  it('applies every migration once, then has nothing to do', async () => {
    const first = await runMigrations(handle, MIGRATIONS)
    expect(first.applied.map((entry) => entry.name)).toEqual(MIGRATIONS.map((migration) => migration.name))
    const status = await getMigrationStatus(handle, MIGRATIONS)
    expect(status).toMatchObject({dialect, pending: 0, drift: [], tracked: true})
    expect(status.migrations.every((entry) => entry.status === 'applied' && entry.appliedAt !== null)).toBe(true)
    const second = await runMigrations(handle, MIGRATIONS)
    expect(second.applied).toEqual([])
    expect(second.current).toBe('0005_create_generation_jobs')
  })

  it('stops at --to and rolls back by steps and to a name', async () => {
    await runMigrations(handle, MIGRATIONS, {to: '0002'})
    expect((await getMigrationStatus(handle, MIGRATIONS)).pending).toBe(3)
    await runMigrations(handle, MIGRATIONS)
    const back = await rollbackMigrations(handle, MIGRATIONS, {steps: 2})
    expect(back.rolledBack.map((entry) => entry.name)).toEqual([
      '0005_create_generation_jobs',
      '0004_create_illustrations',
    ])
    await rollbackMigrations(handle, MIGRATIONS, {to: '0001_create_users_and_sessions'})
    expect(await tableNames(handle)).toEqual(['sessions', 'storybook_migrations', 'users'])
    // Down and up again: the migrations are reversible
    await runMigrations(handle, MIGRATIONS)
    expect((await getMigrationStatus(handle, MIGRATIONS)).pending).toBe(0)
  })

  it('rolls a failing migration back whole, names it and the database error, and leaves it pending', async () => {
    const broken: Migration = {
      name: '0006_broken',
      up: async (db: Kysely<any>) => {
        await db.schema.createTable('half_done').addColumn('id', 'text').execute()
        await sql`insert into no_such_table values (1)`.execute(db)
      },
      down: async () => {},
    }
    const migrations = [...MIGRATIONS, broken]
    const error = await runMigrations(handle, migrations).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StorybookError)
    expect((error as StorybookError).code).toBe('MIGRATION_FAILED')
    expect((error as StorybookError).message).toMatch(/Migration 0006_broken failed \(up\): .*no_such_table/)
    expect((error as StorybookError).details).toMatchObject({
      migration: '0006_broken',
      current: '0005_create_generation_jobs',
    })
    const status = await getMigrationStatus(handle, migrations)
    expect(status.migrations.at(-1)).toEqual({name: '0006_broken', status: 'pending', appliedAt: null})
    expect(status.pending).toBe(1)
    expect(await tableNames(handle)).not.toContain('half_done')
  })

  it('reports drift: a changed or a removed applied migration, and refuses to migrate past it', async () => {
    await runMigrations(handle, MIGRATIONS)
    await handle.db
      .updateTable('storybook_migrations')
      .set({checksum: 'edited'})
      .where('name', '=', '0002_create_characters')
      .execute()
    const status = await getMigrationStatus(handle, MIGRATIONS.slice(0, 4))
    expect(status.drift).toEqual([
      {name: '0002_create_characters', problem: 'changed'},
      {name: '0005_create_generation_jobs', problem: 'missing'},
    ])
    const error = await runMigrations(handle, MIGRATIONS).catch((caught: unknown) => caught)
    expect((error as StorybookError).code).toBe('MIGRATION_DRIFT')
  })

  it('refuses to migrate a database that has tables but no record of migrations', async () => {
    await handle.db.schema.createTable('users').addColumn('id', 'text').execute()
    const error = await runMigrations(handle, MIGRATIONS).catch((caught: unknown) => caught)
    expect((error as StorybookError).code).toBe('CONFLICT')
    expect((error as StorybookError).next).toContain('storybook integrate-migrations')
  })

  it('adopts a database whose tracking table was removed, and refuses one with a table missing', async () => {
    await runMigrations(handle, MIGRATIONS)
    await handle.db.schema.dropTable('storybook_migrations').execute()
    const dry = await integrateMigrations(handle, MIGRATIONS, {apply: false})
    expect(dry.stamp).toHaveLength(5)
    expect(dry.stamped).toBe(false)
    expect(dry.migrations.every((entry) => entry.status === 'present')).toBe(true)
    const applied = await integrateMigrations(handle, MIGRATIONS, {apply: true})
    expect(applied.stamped).toBe(true)
    expect(await getMigrationStatus(handle, MIGRATIONS)).toMatchObject({pending: 0, drift: []})

    // Now a damaged one: the characters table is gone while later migrations are there
    await handle.db.schema.dropTable('storybook_migrations').execute()
    await sql`drop table characters ${sql.raw(dialect === 'postgres' ? 'cascade' : '')}`.execute(handle.db)
    const refused = await integrateMigrations(handle, MIGRATIONS, {apply: true})
    expect(refused.stamped).toBe(false)
    expect(refused.refusal).not.toBeNull()
    expect(refused.migrations.find((entry) => entry.name === '0002_create_characters')?.status).toBe('absent')
    expect(refused.migrations.find((entry) => entry.name === '0001_create_users_and_sessions')?.status).toBe('present')
    expect(await tableNames(handle)).not.toContain('storybook_migrations')
  })

  it('adopts the present prefix and leaves the rest pending', async () => {
    await runMigrations(handle, MIGRATIONS, {to: '0003'})
    await handle.db.schema.dropTable('storybook_migrations').execute()
    const plan = await integrateMigrations(handle, MIGRATIONS, {apply: true})
    expect(plan.stamp).toEqual(MIGRATIONS.slice(0, 3).map((migration) => migration.name))
    expect(plan.pending).toEqual(['0004_create_illustrations', '0005_create_generation_jobs'])
    expect((await runMigrations(handle, MIGRATIONS)).applied).toHaveLength(2)
  })

  it('calls a migration whose index is missing partly present', async () => {
    await runMigrations(handle, MIGRATIONS)
    await handle.db.schema.dropTable('storybook_migrations').execute()
    await handle.db.schema.dropIndex('sessions_expires_at_idx').execute()
    const plan = await integrateMigrations(handle, MIGRATIONS, {apply: false})
    expect(plan.migrations[0]).toEqual({
      name: '0001_create_users_and_sessions',
      status: 'partial',
      missing: ['index sessions_expires_at_idx on sessions(expires_at)'],
    })
    expect(plan.refusal).toMatch(/partly present: 0001_create_users_and_sessions/)
  })

  it('seeds demo data once', async () => {
    await runMigrations(handle, MIGRATIONS)
    const first = await seedDemoData(handle.db)
    expect(first.inserted).toEqual({users: 1, characters: 2, stories: 1, storyCharacters: 2, pages: 5})
    const second = await seedDemoData(handle.db)
    expect(Object.values(second.inserted).every((count) => count === 0)).toBe(true)
    const users = await handle.db.selectFrom('users').select('email').execute()
    expect(users).toEqual([{email: DEMO_EMAIL}])
  })

  it('does not call a migration that stamps rows with the current time drifted', async () => {
    const stamped: Migration = {
      name: '0006_stamp',
      up: async (db: Kysely<any>) => {
        await db
          .insertInto('users')
          .values({
            id: 'x',
            email: `x${Date.now()}@x`,
            display_name: 'x',
            password_hash: 'x',
            created_at: new Date().toISOString(),
            updated_at: new Date().toISOString(),
          })
          .execute()
      },
      down: async (db: Kysely<any>) => {
        await db.deleteFrom('users').where('id', '=', 'x').execute()
      },
    }
    const reader: Migration = {
      name: '0007_reads',
      up: async (db: Kysely<any>) => {
        const row = await db.selectFrom('users').select('id').where('id', '=', 'x').executeTakeFirstOrThrow()
        await db.updateTable('users').set({display_name: 'read'}).where('id', '=', row.id).execute()
      },
      down: async () => {},
    }
    const migrations = [...MIGRATIONS, stamped, reader]
    await runMigrations(handle, migrations)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect((await getMigrationStatus(handle, migrations)).drift).toEqual([])
    expect((await runMigrations(handle, migrations)).applied).toEqual([])
  })

  it('adopts nothing as present when a table has the right names but not the right constraints', async () => {
    // users without NOT NULL and without the UNIQUE email: 0001 is not really there
    await handle.db.schema
      .createTable('users')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('email', 'text')
      .addColumn('display_name', 'text')
      .addColumn('password_hash', 'text')
      .addColumn('created_at', 'text')
      .addColumn('updated_at', 'text')
      .execute()
    const plan = await integrateMigrations(handle, MIGRATIONS, {apply: true})
    expect(plan.migrations[0]?.status).toBe('partial')
    expect(plan.migrations[0]?.missing).toEqual(expect.arrayContaining(['unique users(email)', 'not null users.email']))
    expect(plan.stamped).toBe(false)
  })

  it('migrates a database that holds only unrelated tables, and adopts one whose tracking table is empty', async () => {
    await handle.db.schema.createTable('legacy_notes').addColumn('id', 'text').execute()
    expect((await runMigrations(handle, MIGRATIONS)).applied).toHaveLength(5)
    await handle.db.deleteFrom('storybook_migrations').execute()
    const refused = await runMigrations(handle, MIGRATIONS).catch((caught: unknown) => caught)
    expect((refused as StorybookError).code).toBe('CONFLICT')
    const plan = await integrateMigrations(handle, MIGRATIONS, {apply: true})
    expect(plan).toMatchObject({
      alreadyTracked: false,
      stamped: true,
      unexplained: expect.arrayContaining(['table legacy_notes']),
    })
    expect((await getMigrationStatus(handle, MIGRATIONS)).pending).toBe(0)
  })

  it('enforces foreign keys', async () => {
    await runMigrations(handle, MIGRATIONS)
    const now = new Date().toISOString()
    await expect(
      handle.db
        .insertInto('characters')
        .values({
          id: 'c1',
          user_id: 'nobody',
          name: 'x',
          description: '',
          traits: '{}',
          created_at: now,
          updated_at: now,
        })
        .execute(),
    ).rejects.toThrow()
  })
})

describe('SQLite migrations that rebuild a table', () => {
  it('keep the child rows that ON DELETE CASCADE would otherwise remove', async () => {
    const {config, cleanup} = await databaseFor('sqlite')
    const handle = await openDatabase(config, {create: true})
    try {
      await runMigrations(handle, MIGRATIONS)
      await seedDemoData(handle.db)
      const rebuild: Migration = {
        name: '0006_rebuild_stories',
        up: async (db: Kysely<any>) => {
          await sql`create table stories_new (id text primary key, user_id text not null references users(id) on delete cascade, title text not null, theme text not null default '', target_age text not null, status text not null default 'draft', created_at text not null, updated_at text not null)`.execute(
            db,
          )
          await sql`insert into stories_new select * from stories`.execute(db)
          await sql`drop table stories`.execute(db)
          await sql`alter table stories_new rename to stories`.execute(db)
        },
        down: async () => {},
      }
      await runMigrations(handle, [...MIGRATIONS, rebuild])
      const pages = await handle.db.selectFrom('pages').select('id').execute()
      expect(pages).toHaveLength(5)
      expect(await handle.db.selectFrom('story_characters').select('story_id').execute()).toHaveLength(2)
    } finally {
      await handle.close()
      await cleanup()
    }
  })
})

describe('migration checksums', () => {
  it('depend on what a migration does, per dialect, not on how it is written', async () => {
    const migration = MIGRATIONS[0] as Migration
    const same = {...migration, up: async (db: Kysely<any>) => migration.up(db)}
    expect(await migrationChecksum(same, 'sqlite')).toBe(await migrationChecksum(migration, 'sqlite'))
    const changed = {
      ...migration,
      up: async (db: Kysely<any>) => {
        await migration.up(db)
        await db.schema.createIndex('extra_idx').on('users').column('email').execute()
      },
    }
    expect(await migrationChecksum(changed, 'sqlite')).not.toBe(await migrationChecksum(migration, 'sqlite'))
  })
})
