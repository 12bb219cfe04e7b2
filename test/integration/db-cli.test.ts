// The db commands, integrate-migrations and setup-project, run as the built CLI against real
// databases, the way CI scripts and developers call them.
import {spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {cp, readFile, readdir, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterEach, beforeEach, describe, expect, inject, it} from 'vitest'
import type {MigrateResult} from '../../src/core/db/migrator.js'
import type {ErrorDocument} from '../../src/core/errors.js'
import type {BackupResult, RestoreResult} from '../../src/services/db-backup.js'
import type {DbStatusResult} from '../../src/services/db.js'
import type {SetupProjectResult} from '../../src/services/setup-project.js'
import {createTempProject, REPO_ROOT, type TempProject} from '../helpers/cli.js'
import {createDatabase, freePort} from '../helpers/postgres.js'

const SECRET = 'integration-test-secret-'.repeat(2)

let project: TempProject
let databaseFile: string
beforeEach(async () => {
  project = await createTempProject()
  await project.writeEnv(`SESSION_SECRET=${SECRET}\n`)
  databaseFile = join(project.stateDir, 'data', 'storybook.db')
})
afterEach(async () => {
  await project.cleanup()
})

function sqlite(file = databaseFile): Database.Database {
  return new Database(file)
}

describe('db migrate and db status', () => {
  it('migrates an empty state directory, reports every migration applied, and is a no-op the second time', async () => {
    const before = await project.run<DbStatusResult>(['db', 'status', '--json'])
    expect(before.json).toMatchObject({dialect: 'sqlite', pending: 5, tracked: false})

    const migrate = await project.run<MigrateResult>(['db', 'migrate', '--json'])
    expect(migrate.exitCode).toBe(0)
    expect(migrate.json?.applied).toHaveLength(5)
    expect(migrate.stderr).toContain('Applying 0001_create_users_and_sessions')

    const status = await project.run<DbStatusResult>(['db', 'status', '--json'])
    expect(status.exitCode).toBe(0)
    expect(status.json?.pending).toBe(0)
    expect(status.json?.drift).toEqual([])
    for (const migration of status.json?.migrations ?? []) {
      expect(Object.keys(migration).sort()).toEqual(['appliedAt', 'name', 'status'])
      expect(migration.status).toBe('applied')
      expect(Number.isNaN(Date.parse(migration.appliedAt ?? ''))).toBe(false)
    }

    const again = await project.run(['db', 'migrate'])
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('up to date')
  })

  it('lets three simultaneous migrate commands finish, applying each migration exactly once', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => project.run<MigrateResult>(['db', 'migrate', '--json'])))
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0)
    const applied = runs.flatMap((run) => run.json?.applied.map((entry) => entry.name) ?? [])
    expect(applied.sort()).toEqual([
      '0001_create_users_and_sessions',
      '0002_create_characters',
      '0003_create_stories_and_pages',
      '0004_create_illustrations',
      '0005_create_generation_jobs',
    ])
    const database = sqlite()
    expect(database.prepare('select count(*) as n from storybook_migrations').get()).toEqual({n: 5})
    database.close()
  })

  it('names a failing migration, keeps the database at the one before, and shows it pending', async () => {
    await project.run(['db', 'migrate', '--to', '0002'])
    // Something in the way: 0003 creates "pages", which now exists already
    const database = sqlite()
    database.exec('create table pages (id text)')
    database.close()
    const failed = await project.run(['db', 'migrate'])
    expect(failed.exitCode).toBe(10)
    expect(failed.stderr).toContain('[MIGRATION_FAILED] Migration 0003_create_stories_and_pages failed (up)')
    expect(failed.stderr).toContain('already exists')
    expect(failed.stderr).toContain('the database is at 0002_create_characters')
    const status = await project.run<DbStatusResult>(['db', 'status', '--json'])
    expect(status.json?.migrations.find((entry) => entry.name === '0003_create_stories_and_pages')?.status).toBe(
      'pending',
    )
    const after = sqlite()
    const tables = after.prepare("select name from sqlite_master where type = 'table'").all() as Array<{name: string}>
    after.close()
    expect(tables.map((table) => table.name)).not.toContain('stories') // rolled back with the rest of 0003
  })

  it('exits 11 from db status when an applied migration was changed, still printing the report', async () => {
    await project.run(['db', 'migrate'])
    const database = sqlite()
    database
      .prepare("update storybook_migrations set checksum = 'x' where name = '0001_create_users_and_sessions'")
      .run()
    database.close()
    const status = await project.run<DbStatusResult>(['db', 'status', '--json'])
    expect(status.exitCode).toBe(11)
    expect(status.json?.drift).toEqual([{name: '0001_create_users_and_sessions', problem: 'changed'}])
    const migrate = await project.run<ErrorDocument>(['db', 'migrate', '--json'])
    expect(migrate.exitCode).toBe(11)
    expect(migrate.json?.error.code).toBe('MIGRATION_DRIFT')
  })

  it('reports a file that is not a database with DATABASE_UNAVAILABLE', async () => {
    await project.run(['db', 'migrate'])
    await writeFile(databaseFile, 'this is not a database, just text that is long enough to look like one'.repeat(50))
    await writeFile(`${databaseFile}-wal`, '')
    const status = await project.run(['db', 'status'])
    expect(status.exitCode).toBe(12)
    expect(status.stderr).toContain('[DATABASE_UNAVAILABLE]')
    expect(status.stderr).toContain('storybook db restore')
  })

  it('rolls back with --steps and refuses --steps together with --to', async () => {
    await project.run(['db', 'migrate'])
    const back = await project.run<{rolledBack: Array<{name: string}>}>(['db', 'rollback', '--steps', '2', '--json'])
    expect(back.json?.rolledBack.map((entry) => entry.name)).toEqual([
      '0005_create_generation_jobs',
      '0004_create_illustrations',
    ])
    const both = await project.run(['db', 'rollback', '--steps', '1', '--to', '0001'])
    expect(both.exitCode).toBe(2)
  })
})

describe('db backup and db restore', () => {
  it('takes a consistent backup while another process writes, and restores it', async () => {
    await project.run(['db', 'migrate'])
    // A writer in another process, inserting rows for a while
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1], {timeout: 5000}); db.pragma('journal_mode = WAL');
         const insert = db.prepare("insert into users (id, email, display_name, password_hash, created_at, updated_at) values (?, ?, 'w', 'h', 'now', 'now')");
         const end = Date.now() + 1500; let i = 0;
         while (Date.now() < end) { db.transaction(() => { for (let k = 0; k < 50; k++, i++) insert.run('u' + i, 'u' + i + '@x') })() }
         console.log(i)`,
        databaseFile,
      ],
      {cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit']},
    )
    let written = ''
    writer.stdout.on('data', (chunk: Buffer) => (written += chunk.toString()))
    const writerDone = new Promise((resolve) => writer.on('close', resolve))
    await new Promise((resolve) => setTimeout(resolve, 300))
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'])
    await writerDone
    expect(backup.exitCode, backup.stderr).toBe(0)
    expect(backup.json?.file).toMatch(/storybook-\d{8}-\d{6}(-\d+)?\.db$/)
    expect(Number(written)).toBeGreaterThan(0)

    const copy = sqlite(backup.json?.file)
    expect(copy.pragma('integrity_check')).toEqual([{integrity_check: 'ok'}])
    const rowsInBackup = (copy.prepare('select count(*) as n from users').get() as {n: number}).n
    copy.close()
    expect(rowsInBackup % 50).toBe(0) // whole transactions only: one point in time

    const restored = await project.run<RestoreResult>(['db', 'restore', backup.json?.file as string, '--json'])
    expect(restored.exitCode, restored.stderr).toBe(0)
    expect(restored.json?.safetyCopy).toMatch(/pre-restore-.*\.db$/)
    const database = sqlite()
    expect(database.pragma('integrity_check')).toEqual([{integrity_check: 'ok'}])
    expect((database.prepare('select count(*) as n from users').get() as {n: number}).n).toBe(rowsInBackup)
    database.close()
  })

  it('keeps only the newest --keep backups', async () => {
    await project.run(['db', 'migrate'])
    for (let index = 0; index < 3; index++) await project.run(['db', 'backup', '--keep', '2'])
    const files = (await readdir(join(project.stateDir, 'backups'))).filter((name) => name.startsWith('storybook-'))
    expect(files).toHaveLength(2)
  })

  it('keeps the newest backup when two are taken in the same second, and never collides', async () => {
    await project.run(['db', 'migrate'])
    const runs = await Promise.all([1, 2, 3, 4].map(() => project.run<BackupResult>(['db', 'backup', '--json'])))
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0)
    expect(new Set(runs.map((run) => run.json?.file)).size).toBe(4)
    const last = await project.run<BackupResult>(['db', 'backup', '--keep', '1', '--json'])
    const files = (await readdir(join(project.stateDir, 'backups'))).filter(
      (name) => name.startsWith('storybook-') && name.endsWith('.db'),
    )
    expect(files).toEqual([last.json?.file.split('/').at(-1)])
  })

  it('restores over a database too damaged to open, keeping the damaged file', async () => {
    await project.run(['db', 'migrate'])
    await project.run(['db', 'seed'])
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'])
    await writeFile(databaseFile, 'garbage '.repeat(1000))
    const restored = await project.run<RestoreResult>(['db', 'restore', backup.json?.file as string, '--json'])
    expect(restored.exitCode, restored.stderr).toBe(0)
    expect(await readFile(restored.json?.safetyCopy as string, 'utf8')).toContain('garbage')
    const database = sqlite()
    expect(database.prepare('select count(*) as n from users').get()).toEqual({n: 1})
    database.close()
  })

  it('refuses files that are not Storybook backups and changes nothing', async () => {
    await project.run(['db', 'migrate'])
    const garbage = join(project.root, 'garbage.db')
    await writeFile(garbage, Buffer.alloc(8192, 7))
    const bad = await project.run<ErrorDocument>(['db', 'restore', garbage, '--json'])
    expect(bad.exitCode).toBe(2)
    expect(bad.json?.error.code).toBe('VALIDATION_FAILED')
    const other = join(project.root, 'other.db')
    const foreign = sqlite(other)
    foreign.exec('create table t (x)')
    foreign.close()
    const notOurs = await project.run(['db', 'restore', other])
    expect(notOurs.exitCode).toBe(2)
    expect(notOurs.stderr).toContain('not a Storybook one')
    const missing = await project.run(['db', 'restore', join(project.root, 'nope.db')])
    expect(missing.exitCode).toBe(4)
    // No safety copy was taken, because nothing was touched
    expect(await readdir(join(project.stateDir, 'backups')).catch(() => [])).toEqual([])
  })

  it('restores while a program storybook did not start listens on API_PORT', async () => {
    await project.run(['db', 'migrate'])
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'])
    const port = await freePort()
    const server = createServer().listen(port, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const restored = await project.run(['db', 'restore', backup.json?.file as string], {
        env: {API_PORT: String(port)},
      })
      expect(restored.exitCode, restored.stderr).toBe(0)
    } finally {
      server.close()
    }
  })
})

describe('integrate-migrations', () => {
  it('adopts a database whose tracking table was removed, with a dry run first', async () => {
    await project.run(['db', 'migrate'])
    const database = sqlite()
    database.exec('drop table storybook_migrations')
    database.close()
    const refusedMigrate = await project.run(['db', 'migrate'])
    expect(refusedMigrate.exitCode).toBe(5)
    expect(refusedMigrate.stderr).toContain('storybook integrate-migrations')
    const dry = await project.run(['integrate-migrations'])
    expect(dry.exitCode).toBe(0)
    expect(dry.stdout).toContain('Would record')
    expect((await project.run<DbStatusResult>(['db', 'status', '--json'])).json?.tracked).toBe(false)
    const adopted = await project.run(['integrate-migrations', '--yes'])
    expect(adopted.exitCode).toBe(0)
    expect((await project.run<DbStatusResult>(['db', 'status', '--json'])).json).toMatchObject({
      tracked: true,
      pending: 0,
    })
  })

  it('refuses a database with a table missing, showing the difference', async () => {
    await project.run(['db', 'migrate'])
    const database = sqlite()
    database.exec('drop table storybook_migrations; drop table characters')
    database.close()
    const result = await project.run<ErrorDocument>(['integrate-migrations', '--yes'])
    expect(result.exitCode).toBe(5)
    expect(result.stderr).toContain('cannot be adopted safely')
    expect(result.stderr).toMatch(/absent\s+0002_create_characters/)
    expect(result.stderr).toMatch(/present\s+0001_create_users_and_sessions/)
  })
})

describe('commands that change the schema wait for each other', () => {
  it('runs reset and migrate at the same time without errors', async () => {
    await project.run(['db', 'migrate'])
    const runs = await Promise.all([
      project.run(['db', 'reset', '--yes']),
      project.run(['db', 'migrate']),
      project.run(['db', 'reset', '--yes']),
      project.run(['db', 'migrate']),
    ])
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0)
    expect((await project.run<DbStatusResult>(['db', 'status', '--json'])).json).toMatchObject({pending: 0, drift: []})
  })

  it('resets a database too damaged to open by moving it aside', async () => {
    await project.run(['db', 'migrate'])
    await writeFile(databaseFile, 'garbage '.repeat(1000))
    const reset = await project.run<{damagedCopy: string}>(['db', 'reset', '--yes', '--json'])
    expect(reset.exitCode, reset.stderr).toBe(0)
    expect(await readFile(reset.json?.damagedCopy as string, 'utf8')).toContain('garbage')
  })
})

describe('db seed, db reset and db new', () => {
  it('seeds idempotently and needs --yes to reset off a terminal', async () => {
    await project.run(['db', 'migrate'])
    expect((await project.run(['db', 'seed'])).stdout).toContain('Inserted demo data')
    expect((await project.run(['db', 'seed'])).stdout).toContain('already there')
    const refused = await project.run(['db', 'reset'])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('storybook db reset --yes')
    const reset = await project.run<{dropped: string[]}>(['db', 'reset', '--yes', '--json'])
    expect(reset.exitCode).toBe(0)
    expect(reset.json?.dropped).toContain('users')
    const database = sqlite()
    expect(database.prepare('select count(*) as n from users').get()).toEqual({n: 0})
    database.close()
  })

  it('scaffolds the next migration, lists it, and db status warns that it is not built yet', async () => {
    await cp(join(REPO_ROOT, 'migrations'), join(project.root, 'migrations'), {recursive: true})
    const created = await project.run<{name: string; file: string}>(['db', 'new', 'Add story language', '--json'])
    expect(created.exitCode, created.stderr).toBe(0)
    expect(created.json?.name).toBe('0006_add_story_language')
    const index = await readFile(join(project.root, 'migrations', 'index.ts'), 'utf8')
    expect(index).toContain("import * as m0006 from './0006_add_story_language.js'")
    expect(index).toContain("{name: '0006_add_story_language', ...m0006},")
    expect(await readFile(created.json?.file as string, 'utf8')).toMatch(/export async function down/)
    const status = await project.run<DbStatusResult>(['db', 'status', '--json'])
    expect(status.json?.unbuilt).toEqual(['0006_add_story_language'])
    const duplicate = await project.run(['db', 'new', 'add_story_language'])
    expect(duplicate.exitCode).toBe(5)
    const bad = await project.run(['db', 'new', '123'])
    expect(bad.exitCode).toBe(2)
  })
})

describe('setup-project', () => {
  it('sets up a fresh project and says so the second time', async () => {
    const fresh = await createTempProject()
    try {
      const first = await fresh.run<SetupProjectResult>(['setup-project', '--skip-install', '--json'])
      expect(first.exitCode, first.stderr).toBe(0)
      expect(first.json?.steps.map((step) => [step.id, step.status])).toEqual([
        ['node', 'already'],
        ['dependencies', 'skipped'],
        ['env', 'done'],
        ['migrate', 'done'],
        ['seed', 'done'],
      ])
      const second = await fresh.run<SetupProjectResult>(['setup-project', '--skip-install'])
      expect(second.exitCode).toBe(0)
      expect(second.stdout).toContain('Everything was already set up')
      expect(second.stderr).not.toMatch(/\u001B\[/) // plain lines off a terminal
    } finally {
      await fresh.cleanup()
    }
  })
})

describe('db commands on PostgreSQL', () => {
  it('migrates concurrently, reports status, and backs up with pg_dump', async () => {
    const url = await createDatabase(inject('postgresUrl'), `cli_${randomUUID().replaceAll('-', '')}`)
    const env = {DATABASE_URL: url}
    const runs = await Promise.all([1, 2, 3].map(() => project.run<MigrateResult>(['db', 'migrate', '--json'], {env})))
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0)
    expect(runs.flatMap((run) => run.json?.applied ?? [])).toHaveLength(5)
    const status = await project.run<DbStatusResult>(['db', 'status', '--json'], {env})
    expect(status.json).toMatchObject({dialect: 'postgres', pending: 0, drift: []})
    await project.run(['db', 'seed'], {env})
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'], {env})
    expect(backup.exitCode, backup.stderr).toBe(0)
    expect(backup.json?.file).toMatch(/\.dump$/)
    const restore = await project.run<RestoreResult>(['db', 'restore', backup.json?.file as string, '--json'], {env})
    expect(restore.exitCode, restore.stderr).toBe(0)
  })

  it('says clearly when the server cannot be reached', async () => {
    const port = await freePort()
    const result = await project.run(['db', 'status'], {
      env: {DATABASE_URL: `postgres://nobody:secretpw@127.0.0.1:${port}/x`},
    })
    expect(result.exitCode).toBe(12)
    expect(result.stderr).toContain('Cannot connect to PostgreSQL')
    expect(result.stderr).not.toContain('secretpw')
  })
})
