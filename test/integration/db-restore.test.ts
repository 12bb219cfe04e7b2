// db backup and db restore through the built CLI, on the failures that lose data: damaged and
// foreign dumps, a running API, interrupted and concurrent backups, file modes, schema versions.
import {randomUUID} from 'node:crypto'
import {stat, truncate} from 'node:fs/promises'
import pg from 'pg'
import {afterEach, beforeEach, describe, expect, inject, it} from 'vitest'
import type {ErrorDocument} from '../../src/core/errors.js'
import type {BackupResult, RestoreResult} from '../../src/services/db-backup.js'
import {createTempProject, type TempProject} from '../helpers/cli.js'
import {createDatabase, freePort} from '../helpers/postgres.js'

const SECRET = 'integration-test-secret-'.repeat(2)

let project: TempProject
beforeEach(async () => {
  project = await createTempProject()
  await project.writeEnv(`SESSION_SECRET=${SECRET}\n`)
})
afterEach(async () => {
  await project.cleanup()
})

async function postgresProject(): Promise<{url: string; env: Record<string, string>}> {
  const url = await createDatabase(inject('postgresUrl'), `restore_${randomUUID().replaceAll('-', '')}`)
  return {url, env: {DATABASE_URL: url}}
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({connectionString: url})
  await client.connect()
  try {
    return (await client.query(text)).rows as T[]
  } finally {
    await client.end()
  }
}

describe('db restore on PostgreSQL', () => {
  it('refuses a dump cut short and leaves the database as it was', async () => {
    // Given a seeded database and a backup of it, cut to 90%
    const {url, env} = await postgresProject()
    await project.run(['db', 'migrate'], {env})
    await project.run(['db', 'seed'], {env})
    // Enough rows that the data, not the table of contents, is most of the file
    await query(
      url,
      `insert into users (id, email, display_name, password_hash, created_at, updated_at)
       select 'u' || i, 'u' || i || '@x', md5(i::text), md5(i::text) || md5(i::text), 'now', 'now'
       from generate_series(1, 20000) i`,
    )
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'], {env})
    const file = backup.json?.file as string
    await truncate(file, Math.floor((await stat(file)).size * 0.9))

    // When it is restored
    const restore = await project.run<ErrorDocument>(['db', 'restore', file, '--json'], {env})

    // Then it is refused, and every table and row is still there
    expect(restore.exitCode).toBe(2)
    expect(restore.json?.error.code).toBe('VALIDATION_FAILED')
    expect(restore.stderr + restore.stdout).not.toContain('may be empty')
    expect(await query(url, 'select count(*)::int as n from users')).toEqual([{n: 20_001}])
    expect(await query(url, 'select count(*)::int as n from storybook_migrations')).toEqual([{n: 5}])
  })

  it('restores in one transaction, dropping tables the dump does not hold', async () => {
    const {url, env} = await postgresProject()
    await project.run(['db', 'migrate'], {env})
    await project.run(['db', 'seed'], {env})
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'], {env})
    await query(url, 'create table extra (id text references users(id) on delete cascade)')
    await query(url, 'delete from users')
    const restore = await project.run<RestoreResult>(['db', 'restore', backup.json?.file as string, '--json'], {env})
    expect(restore.exitCode, restore.stderr).toBe(0)
    expect(await query(url, 'select count(*)::int as n from users')).toEqual([{n: 1}])
    expect(await query(url, "select tablename from pg_tables where tablename = 'extra'")).toEqual([])
  })

  it('rolls the whole restore back when it fails part way, saying the database is unchanged', async () => {
    // Given a full backup, and a database at 0001 where a type named like a later table is in the way
    const source = await postgresProject()
    await project.run(['db', 'migrate'], {env: source.env})
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'], {env: source.env})
    const {url, env} = await postgresProject()
    await project.run(['db', 'migrate', '--to', '0001'], {env})
    await query(url, "insert into users values ('keep', 'keep@x', 'k', 'h', 'now', 'now')")
    await query(url, 'create type characters as (x int)')

    const restore = await project.run<ErrorDocument>(['db', 'restore', backup.json?.file as string, '--json'], {env})

    expect(restore.exitCode).toBe(7)
    expect(restore.json?.error.message).toContain('rolled back')
    expect(restore.stderr + restore.stdout).not.toContain('may be empty')
    expect(await query(url, "select id from users where id = 'keep'")).toEqual([{id: 'keep'}])
    expect(await query(url, 'select count(*)::int as n from storybook_migrations')).toEqual([{n: 1}])
  })

  it('refuses the dump of another application and changes nothing', async () => {
    // Given another application's database, holding only a todos table, and its dump
    const other = await postgresProject()
    await query(other.url, 'create table todos (id serial primary key, title text)')
    await query(other.url, "insert into todos (title) values ('milk')")
    const foreign = await project.run<BackupResult>(['db', 'backup', '--json'], {env: other.env})
    expect(foreign.exitCode, foreign.stderr).toBe(0)
    const {url, env} = await postgresProject()
    await project.run(['db', 'migrate'], {env})
    await project.run(['db', 'seed'], {env})

    const restore = await project.run<ErrorDocument>(['db', 'restore', foreign.json?.file as string, '--json'], {env})

    expect(restore.exitCode).toBe(2)
    expect(restore.json?.error.code).toBe('VALIDATION_FAILED')
    expect(restore.json?.error.message).toContain('not a Storybook one')
    expect(await query(url, 'select count(*)::int as n from users')).toEqual([{n: 1}])
    expect(await query(url, "select tablename from pg_tables where tablename = 'todos'")).toEqual([])
  })
})

describe('db restore and running services', () => {
  it('refuses while the API runs on a port given by --api-port, unless --force', async () => {
    // Given an API started by storybook on another port than API_PORT
    await project.run(['db', 'migrate'])
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'])
    const port = await freePort()
    const started = await project.run(['start', 'api', '--api-port', String(port)])
    expect(started.exitCode, started.stderr).toBe(0)
    try {
      // When it is restored, then it is refused, naming the API
      const refused = await project.run<ErrorDocument>(['db', 'restore', backup.json?.file as string, '--json'])
      expect(refused.exitCode).toBe(5)
      expect(refused.json?.error.message).toContain('Refusing to restore while api')
      expect(refused.json?.error.message).toContain(`port ${port}`)
      const forced = await project.run(['db', 'restore', backup.json?.file as string, '--force'])
      expect(forced.exitCode, forced.stderr).toBe(0)
    } finally {
      await project.run(['stop', '--timeout', '5'])
    }
    const after = await project.run(['db', 'restore', backup.json?.file as string])
    expect(after.exitCode, after.stderr).toBe(0)
  })
})
