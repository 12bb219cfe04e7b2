// db migrate (--to, --dry-run, --wait), db status and db repair as the built CLI, on SQLite and on
// PostgreSQL. Edits to applied migrations are made the way the database sees them: the tracking
// table holds what was applied, and the built code is what the CLI records now.
import {spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {existsSync} from 'node:fs'
import {createServer, connect, type Server, type Socket} from 'node:net'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, inject, it} from 'vitest'
import type {DatabaseConfig} from '../../src/core/config/load.js'
import {VARIABLES} from '../../src/core/config/schema.js'
import {openDatabase} from '../../src/core/db/connection.js'
import type {MigratePreview, MigrateResult, RepairResult} from '../../src/core/db/migrator.js'
import type {ErrorDocument} from '../../src/core/errors.js'
import type {DbStatusResult} from '../../src/services/db.js'
import {CLI, createTempProject, type TempProject} from '../helpers/cli.js'
import {createDatabase, freePort} from '../helpers/postgres.js'

const SECRET = 'integration-test-secret-'.repeat(2)
const dialects = ['sqlite', 'postgres'] as const

let project: TempProject
beforeEach(async () => {
  project = await createTempProject()
  await project.writeEnv(`SESSION_SECRET=${SECRET}\n`)
})
afterEach(async () => {
  await project.cleanup()
})

async function newPostgresDatabase(): Promise<string> {
  return createDatabase(inject('postgresUrl'), `cli_${randomUUID().replaceAll('-', '')}`)
}

/** The project's database on this dialect: the env to run the CLI with, and a way to change it directly. */
async function databaseOn(dialect: (typeof dialects)[number]) {
  const file = join(project.stateDir, 'data', 'storybook.db')
  const url = dialect === 'postgres' ? await newPostgresDatabase() : undefined
  const config: DatabaseConfig = url ? {dialect: 'postgres', url} : {dialect: 'sqlite', url: `sqlite:${file}`, file}
  return {
    env: url ? {DATABASE_URL: url} : {},
    file,
    /** Runs `work` on the database with a connection of its own. */
    change: async <T>(work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> => {
      const handle = await openDatabase(config, {create: false})
      try {
        return await work(handle.db)
      } finally {
        await handle.close()
      }
    },
  }
}

/** SQL with its keywords in capitals; quoted names stay as they are (their case matters). */
const keywordsInCapitals = (text: string) =>
  text.replace(/"[^"]*"|[a-z]+/g, (word) => (word.startsWith('"') ? word : word.toUpperCase()))

describe.each(dialects)('db repair on %s', (dialect) => {
  it('accepts an edit that changes only formatting, and refuses one that changes what the migration does', async () => {
    const database = await databaseOn(dialect)
    const {env} = database
    expect((await project.run(['db', 'migrate'], {env})).exitCode).toBe(0)
    const applied = await database.change((db) =>
      db
        .selectFrom('storybook_migrations')
        .select(['checksum', 'statements'])
        .where('name', '=', '0001_create_users_and_sessions')
        .executeTakeFirstOrThrow(),
    )
    const statements = JSON.parse(applied.statements as string) as Array<{sql: string; parameters: unknown[]}>
    const record = (edit: (text: string) => string) =>
      database.change((db) =>
        db
          .updateTable('storybook_migrations')
          .set({
            checksum: 'v2:applied-by-another-version',
            statements: JSON.stringify(statements.map((statement) => ({...statement, sql: edit(statement.sql)}))),
          })
          .where('name', '=', '0001_create_users_and_sessions')
          .execute(),
      )

    // Applied as a hand-formatted version of the same SQL: drift, but harmless
    await record((text) => `-- applied by hand\n${keywordsInCapitals(text).replaceAll('(', ' (\n    ')}`)
    const drifted = await project.run(['db', 'status'], {env})
    expect(drifted.exitCode).toBe(11)
    const repaired = await project.run<RepairResult>(['db', 'repair', '--json'], {env})
    expect(repaired.exitCode, repaired.stderr).toBe(0)
    expect(repaired.json).toEqual({realigned: ['0001_create_users_and_sessions'], forgotten: [], missing: []})
    expect((await project.run(['db', 'status'], {env})).exitCode).toBe(0)

    // Applied without NOT NULL on email: the code now makes a different table
    await record((text) => text.replace('"email" text not null unique', '"email" text unique'))
    const refused = await project.run(['db', 'repair'], {env})
    expect(refused.exitCode).toBe(11)
    expect(refused.stderr).toContain('[MIGRATION_DRIFT] Not repaired: the edit to 0001_create_users_and_sessions')
    expect(refused.stderr).toMatch(/applied: create table users\(id text primary key,email text unique/)
    expect(refused.stderr).toMatch(/now: {5}create table users\(id text primary key,email text not null unique/)
    expect(refused.stderr).toContain('git log -p -- migrations/0001_create_users_and_sessions.ts')
    const after = await database.change((db) =>
      db
        .selectFrom('storybook_migrations')
        .select('checksum')
        .where('name', '=', '0001_create_users_and_sessions')
        .execute(),
    )
    expect(after).toEqual([{checksum: 'v2:applied-by-another-version'}]) // nothing written
  })

  it('forgets an applied migration removed from the code only with --forget-missing', async () => {
    const database = await databaseOn(dialect)
    const {env} = database
    await project.run(['db', 'migrate'], {env})
    await database.change((db) =>
      db
        .insertInto('storybook_migrations')
        .values({
          name: '0006_removed',
          checksum: 'v2:x',
          applied_at: new Date().toISOString(),
          execution_ms: 1,
          statements: '[]',
        })
        .execute(),
    )
    const status = await project.run<DbStatusResult>(['db', 'status', '--json'], {env})
    expect(status.exitCode).toBe(11)
    expect(status.json?.drift).toEqual([{name: '0006_removed', problem: 'missing'}])
    const kept = await project.run<RepairResult>(['db', 'repair', '--json'], {env})
    expect(kept.exitCode).toBe(0)
    expect(kept.json).toEqual({realigned: [], forgotten: [], missing: ['0006_removed']})
    expect(kept.stderr).toContain('db repair --forget-missing')
    const forgot = await project.run(['db', 'repair', '--forget-missing'], {env})
    expect(forgot.exitCode, forgot.stderr).toBe(0)
    expect(forgot.stdout).toContain('Forgot 0006_removed')
    expect((await project.run(['db', 'status'], {env})).exitCode).toBe(0)
  })
})

describe.each(dialects)('db migrate and db status say where the database is on %s', (dialect) => {
  it('accepts a database migrated by the previous version (checksums without values) and upgrades it', async () => {
    const database = await databaseOn(dialect)
    const {env} = database
    await project.run(['db', 'migrate'], {env})
    // The previous version stored the SHA-256 of the SQL alone and had no statements column.
    await database.change(async (db) => {
      const rows = await db.selectFrom('storybook_migrations').select(['name', 'statements']).execute()
      const {createHash} = await import('node:crypto')
      for (const row of rows) {
        const text = (JSON.parse(row.statements as string) as Array<{sql: string}>).map((s) => s.sql).join('\n')
        const legacy = createHash('sha256').update(text).digest('hex')
        await db.updateTable('storybook_migrations').set({checksum: legacy}).where('name', '=', row.name).execute()
      }
      await db.schema.alterTable('storybook_migrations').dropColumn('statements').execute()
    })
    const status = await project.run<DbStatusResult>(['db', 'status', '--json'], {env})
    expect(status.exitCode, status.stderr).toBe(0)
    expect(status.json?.drift).toEqual([])
    expect((await project.run(['db', 'migrate'], {env})).exitCode).toBe(0)
    const rows = await database.change((db) =>
      db.selectFrom('storybook_migrations').select(['checksum', 'statements']).execute(),
    )
    expect(rows.every((row) => row.checksum.startsWith('v2:') && row.statements !== null)).toBe(true)
  })

  it('refuses --to a migration behind the current one, naming db rollback --to', async () => {
    const {env} = await databaseOn(dialect)
    await project.run(['db', 'migrate'], {env})
    const behind = await project.run<ErrorDocument>(['db', 'migrate', '--to', '0002', '--json'], {env})
    expect(behind.exitCode).toBe(5)
    expect(behind.json?.error.code).toBe('CONFLICT')
    expect(behind.json?.error.message).toContain(
      'The database is at 0005_create_generation_jobs, past 0002_create_characters',
    )
    expect(behind.json?.error.next?.join('\n')).toContain('db rollback --to 0002_create_characters')
    const current = await project.run(['db', 'migrate', '--to', '0005'], {env})
    expect(current.exitCode).toBe(0)
    expect(current.stdout).toContain('up to date (at 0005_create_generation_jobs)')
  })

  it('says drift, not up to date, and calls a database without a tracking table untracked', async () => {
    const database = await databaseOn(dialect)
    const {env} = database
    await project.run(['db', 'migrate'], {env})
    await database.change((db) =>
      db
        .updateTable('storybook_migrations')
        .set({checksum: 'v2:edited'})
        .where('name', '=', '0003_create_stories_and_pages')
        .execute(),
    )
    const drift = await project.run(['db', 'status'], {env})
    expect(drift.exitCode).toBe(11)
    expect(drift.stdout).toContain('drift: 1 applied migration differs from the code')
    expect(drift.stdout).not.toContain('up to date')

    await database.change((db) => db.schema.dropTable('storybook_migrations').execute())
    const untracked = await project.run(['db', 'status'], {env})
    expect(untracked.stdout).toContain('untracked: the tables (')
    expect(untracked.stdout).toContain('integrate-migrations')
    expect(untracked.stdout).not.toContain('pending (storybook db migrate)')
  })

  it('prints the SQL of the pending migrations with --dry-run and applies nothing', async () => {
    const database = await databaseOn(dialect)
    const {env} = database
    const fresh = await project.run(['db', 'migrate', '--dry-run'], {env})
    expect(fresh.exitCode, fresh.stderr).toBe(0)
    expect(fresh.stdout).toContain('-- 0001_create_users_and_sessions\ncreate table "users" ("id" text primary key')
    expect(fresh.stderr).toContain('Dry run: 5 migrations would be applied; nothing was changed.')
    if (dialect === 'sqlite') expect(existsSync(database.file)).toBe(false)

    await project.run(['db', 'migrate', '--to', '0003'], {env})
    const preview = await project.run<MigratePreview>(['db', 'migrate', '--dry-run', '--json'], {env})
    expect(preview.exitCode).toBe(0)
    expect(preview.json?.migrations.map((migration) => migration.name)).toEqual([
      '0004_create_illustrations',
      '0005_create_generation_jobs',
    ])
    expect(preview.json?.migrations[1]?.statements.map((statement) => statement.sql)).toEqual([
      expect.stringMatching(/^create table "generation_jobs"/),
      'create index "generation_jobs_story_idx" on "generation_jobs" ("story_id")',
      'create index "generation_jobs_status_heartbeat_idx" on "generation_jobs" ("status", "heartbeat_at")',
    ])
    const status = await project.run<DbStatusResult>(['db', 'status', '--json'], {env})
    expect(status.json?.pending).toBe(2)
  })
})

/** Runs the CLI in the project and exposes its stderr while it runs. */
function startCli(args: string[], env: Record<string, string>) {
  const childEnv: Record<string, string | undefined> = {...process.env}
  for (const variable of VARIABLES) delete childEnv[variable.key]
  Object.assign(childEnv, {STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir, ...env})
  const child = spawn(process.execPath, [CLI, ...args], {cwd: project.root, env: childEnv as NodeJS.ProcessEnv})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  return {child, exited, stdout: () => stdout, stderr: () => stderr}
}

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** PostgreSQL's answer while it starts: an ErrorResponse with SQLSTATE 57P03, then the connection closes. */
function startingUpResponse(): Buffer {
  const fields = ['SFATAL', 'VFATAL', 'C57P03', 'Mthe database system is starting up']
  const body = Buffer.concat([...fields.map((field) => Buffer.from(`${field}\0`)), Buffer.from([0])])
  const header = Buffer.alloc(5)
  header.write('E', 0)
  header.writeInt32BE(body.length + 4, 1)
  return Buffer.concat([header, body])
}

describe('db migrate --wait on PostgreSQL', () => {
  let server: Server | undefined
  const sockets = new Set<Socket>()
  afterEach(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
    server = undefined
  })

  it('waits while nothing listens, then while the server is starting up, then migrates', async () => {
    const real = new URL(await newPostgresDatabase())
    const port = await freePort()
    const url = new URL(real.href)
    url.port = String(port)
    const run = startCli(['db', 'migrate', '--wait', '--wait-timeout', '60', '--json'], {DATABASE_URL: url.href})
    await until('the CLI to say it waits', () => run.stderr().includes('waiting up to 60 s'))

    // The server appears, but says it is starting up; after two such answers it is ready.
    let startingUpAnswers = 0
    let ready = false
    server = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => {})
      if (!ready) {
        socket.once('data', () => {
          startingUpAnswers += 1
          socket.end(startingUpResponse())
        })
        return
      }
      const upstream = connect(Number(real.port), real.hostname)
      sockets.add(upstream)
      upstream.on('error', () => socket.destroy())
      socket.pipe(upstream).pipe(socket)
    })
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve))
    await until('two "starting up" answers', () => startingUpAnswers >= 2)
    ready = true

    const exitCode = await run.exited
    expect(exitCode, run.stderr()).toBe(0)
    expect((JSON.parse(run.stdout()) as MigrateResult).applied).toHaveLength(5)
  })

  it('fails with the connection error once the wait is over', async () => {
    const port = await freePort()
    const result = await project.run(['db', 'migrate', '--wait', '--wait-timeout', '1'], {
      env: {DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x`},
    })
    expect(result.exitCode).toBe(12)
    expect(result.stderr).toContain('[DATABASE_UNAVAILABLE] Cannot connect to PostgreSQL')
    expect(result.stderr).toContain('Waited 1 s (--wait-timeout) for it.')
  })

  it('does not wait for what waiting cannot fix: a database that does not exist', async () => {
    const url = new URL(inject('postgresUrl'))
    url.pathname = `/missing_${randomUUID().replaceAll('-', '')}`
    const result = await project.run(['db', 'migrate', '--wait', '--wait-timeout', '600'], {
      env: {DATABASE_URL: url.href},
    })
    expect(result.exitCode).toBe(12)
    expect(result.stderr).toContain('does not exist')
    expect(result.stderr).not.toContain('waiting up to')
  })

  it('fails at once without --wait', async () => {
    const port = await freePort()
    const result = await project.run(['db', 'migrate'], {
      env: {DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x`},
    })
    expect(result.exitCode).toBe(12)
    expect(result.stderr).not.toContain('Waited')
    expect(result.stderr).not.toContain('waiting up to')
  })
})
