// The migrator, baseline and seed against both real databases: SQLite files and a PostgreSQL
// cluster started for the run. The same tests, the same expectations.
import {createHash, randomUUID} from 'node:crypto'
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
import {recordMigration} from '../../src/core/db/migration-record.js'
import {
  getMigrationStatus,
  MigrationRecordingError,
  migrationChecksum,
  previewMigrations,
  repairChecksums,
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

describe.each(dialects)('recorded statements, repair and the migrate options on %s', (dialect) => {
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

  /** A data migration inserting one row with the given display name: only a value differs between versions. */
  const dataMigration = (displayName: string, write = (sql: string) => sql): Migration => ({
    name: '0006_demo_user',
    up: async (db: Kysely<any>) => {
      await db
        .insertInto('users')
        .values({
          id: 'u1',
          email: 'demo@x',
          display_name: displayName,
          password_hash: 'x',
          created_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        })
        .execute()
      await sql.raw(write('create table notes (id text primary key, body text not null)')).execute(db)
    },
    down: async () => {},
  })

  async function checksumOf(name: string): Promise<string> {
    const row = await handle.db
      .selectFrom('storybook_migrations')
      .select('checksum')
      .where('name', '=', name)
      .executeTakeFirstOrThrow()
    return row.checksum
  }

  it('calls a changed data value in an applied migration drift', async () => {
    await runMigrations(handle, [...MIGRATIONS, dataMigration('Ada')])
    const status = await getMigrationStatus(handle, [...MIGRATIONS, dataMigration('Grace')])
    expect(status.drift).toEqual([{name: '0006_demo_user', problem: 'changed'}])
    expect((await getMigrationStatus(handle, [...MIGRATIONS, dataMigration('Ada')])).drift).toEqual([])
  })

  it('accepts the checksums older versions stored (SQL only) and upgrades them on the next migrate', async () => {
    await runMigrations(handle, MIGRATIONS)
    // What a database migrated by the previous version holds: checksums of the SQL alone, no statements column.
    for (const migration of MIGRATIONS) {
      const legacy = createHash('sha256')
        .update((await recordMigration(migration, dialect)).statements.map((statement) => statement.sql).join('\n'))
        .digest('hex')
      await handle.db
        .updateTable('storybook_migrations')
        .set({checksum: legacy})
        .where('name', '=', migration.name)
        .execute()
    }
    await handle.db.schema.alterTable('storybook_migrations').dropColumn('statements').execute()
    expect((await getMigrationStatus(handle, MIGRATIONS)).drift).toEqual([])
    expect((await runMigrations(handle, MIGRATIONS)).applied).toEqual([])
    const rows = await handle.db.selectFrom('storybook_migrations').select(['checksum', 'statements']).execute()
    expect(rows.every((row) => row.checksum.startsWith('v2:') && row.statements !== null)).toBe(true)
    expect((await getMigrationStatus(handle, MIGRATIONS)).drift).toEqual([])
  })

  it('repairs an edit to the SQL text that changes nothing (whitespace, comments, case, quotes)', async () => {
    await runMigrations(handle, [...MIGRATIONS, dataMigration('Ada')])
    const reformatted = dataMigration(
      'Ada',
      () => '-- the notes\nCREATE TABLE "notes" (\n  id   TEXT PRIMARY KEY,\n  body text NOT NULL\n);',
    )
    const migrations = [...MIGRATIONS, reformatted]
    expect((await getMigrationStatus(handle, migrations)).drift).toEqual([{name: '0006_demo_user', problem: 'changed'}])
    const result = await repairChecksums(handle, migrations)
    expect(result).toEqual({realigned: ['0006_demo_user'], forgotten: [], missing: []})
    expect((await getMigrationStatus(handle, migrations)).drift).toEqual([])
  })

  it('refuses to repair an edit that changes what a migration does, a value or the SQL, and writes nothing', async () => {
    await runMigrations(handle, [...MIGRATIONS, dataMigration('Ada')])
    const before = await checksumOf('0006_demo_user')
    for (const edited of [
      dataMigration('Grace'),
      dataMigration('Ada', () => 'create table notes (id text primary key, body text)'),
    ]) {
      const error = await repairChecksums(handle, [...MIGRATIONS, edited]).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(StorybookError)
      expect((error as StorybookError).code).toBe('MIGRATION_DRIFT')
      expect((error as StorybookError).message).toMatch(/Not repaired: the edit to 0006_demo_user changes what it does/)
      expect((error as StorybookError).next.join('\n')).toContain('git log -p -- migrations/0006_demo_user.ts')
      expect(await checksumOf('0006_demo_user')).toBe(before)
    }
  })

  it('keeps the record of a migration removed from the code, and forgets it when asked', async () => {
    await runMigrations(handle, [...MIGRATIONS, dataMigration('Ada')])
    expect(await repairChecksums(handle, MIGRATIONS)).toEqual({
      realigned: [],
      forgotten: [],
      missing: ['0006_demo_user'],
    })
    expect((await getMigrationStatus(handle, MIGRATIONS)).drift).toEqual([{name: '0006_demo_user', problem: 'missing'}])
    expect(await repairChecksums(handle, MIGRATIONS, {forgetMissing: true})).toEqual({
      realigned: [],
      forgotten: ['0006_demo_user'],
      missing: [],
    })
    expect((await getMigrationStatus(handle, MIGRATIONS)).drift).toEqual([])
  })

  it('surfaces an exception up() throws while being recorded, naming the migration', async () => {
    const broken: Migration = {
      name: '0006_broken',
      up: async (db: Kysely<any>) => {
        await db.schema.createTable('half').addColumn('id', 'text').execute()
        throw new TypeError('settings is undefined')
      },
      down: async () => {},
    }
    const error = await getMigrationStatus(handle, [...MIGRATIONS, broken]).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MigrationRecordingError)
    expect((error as StorybookError).message).toBe(
      'Migration 0006_broken cannot be recorded: its up() threw TypeError: settings is undefined',
    )
    expect((error as StorybookError).next).toContain('fix migrations/0006_broken.ts')
  })

  it('refuses --to a migration behind the current one and names db rollback --to', async () => {
    await runMigrations(handle, MIGRATIONS)
    const error = await runMigrations(handle, MIGRATIONS, {to: '0002'}).catch((caught: unknown) => caught)
    expect((error as StorybookError).code).toBe('CONFLICT')
    expect((error as StorybookError).message).toContain('The database is at 0005_create_generation_jobs, past 0002')
    expect((error as StorybookError).next).toEqual(['storybook db rollback --to 0002_create_characters'])
    expect((await runMigrations(handle, MIGRATIONS, {to: '0005'})).applied).toEqual([])
  })

  it('previews the SQL and values of the pending migrations without applying them', async () => {
    await runMigrations(handle, MIGRATIONS, {to: '0004'})
    const migrations = [...MIGRATIONS, dataMigration('Ada')]
    const preview = await previewMigrations(handle, migrations)
    expect(preview.migrations.map((migration) => migration.name)).toEqual([
      '0005_create_generation_jobs',
      '0006_demo_user',
    ])
    expect(preview.migrations[0]?.statements[0]?.sql).toMatch(/^create table "generation_jobs"/)
    expect(preview.migrations[1]?.statements[0]?.parameters).toEqual([
      'u1',
      'demo@x',
      'Ada',
      'x',
      '<varies>',
      '<varies>',
    ])
    expect((await getMigrationStatus(handle, migrations)).pending).toBe(2)
    expect(await tableNames(handle)).not.toContain('generation_jobs')
  })

  it('runs a migration that exports transaction = false outside a transaction, under the lock', async () => {
    await runMigrations(handle, MIGRATIONS)
    const outside: Migration = {
      name: '0006_outside',
      transaction: false,
      up: async (db: Kysely<any>) => {
        await db.schema.createTable('kept').addColumn('id', 'text').execute()
        await sql`insert into no_such_table values (1)`.execute(db)
      },
      down: async () => {},
    }
    const error = await runMigrations(handle, [...MIGRATIONS, outside]).catch((caught: unknown) => caught)
    expect((error as StorybookError).code).toBe('MIGRATION_FAILED')
    expect((error as StorybookError).reason).toMatch(/outside a transaction/)
    // No transaction to roll back: the first statement stays, and the migration is not recorded.
    expect(await tableNames(handle)).toContain('kept')
    expect((await getMigrationStatus(handle, [...MIGRATIONS, outside])).pending).toBe(1)
  })
})

describe('create index concurrently on PostgreSQL', () => {
  it('fails inside the migration transaction and works with transaction = false', async () => {
    const {config, cleanup} = await databaseFor('postgres')
    const handle = await openDatabase(config, {create: true})
    try {
      await runMigrations(handle, MIGRATIONS)
      const index = (transaction?: boolean): Migration => ({
        name: '0006_index_story_titles',
        ...(transaction === undefined ? {} : {transaction}),
        up: async (db: Kysely<any>) => {
          await sql`create index concurrently stories_title_idx on stories (title)`.execute(db)
        },
        down: async (db: Kysely<any>) => {
          await sql`drop index concurrently stories_title_idx`.execute(db)
        },
      })
      const inside = await runMigrations(handle, [...MIGRATIONS, index()]).catch((caught: unknown) => caught)
      expect((inside as StorybookError).message).toMatch(/cannot run inside a transaction block/)
      const applied = await runMigrations(handle, [...MIGRATIONS, index(false)])
      expect(applied.applied.map((entry) => entry.name)).toEqual(['0006_index_story_titles'])
      expect((await handle.introspect()).tables.stories?.indexes).toContain('stories_title_idx(title)')
      const back = await rollbackMigrations(handle, [...MIGRATIONS, index(false)])
      expect(back.rolledBack.map((entry) => entry.name)).toEqual(['0006_index_story_titles'])
      expect((await handle.introspect()).tables.stories?.indexes).not.toContain('stories_title_idx(title)')
    } finally {
      await handle.close()
      await cleanup()
    }
  })
})
