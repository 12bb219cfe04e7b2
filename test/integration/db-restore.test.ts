// db backup and db restore through the built CLI, on the failures that lose data: damaged and
// foreign dumps, a running API, interrupted and concurrent backups, file modes, schema versions.
import {execFile} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {readdir, stat, truncate, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {promisify} from 'node:util'
import Database from 'better-sqlite3'
import pg from 'pg'
import {afterEach, beforeEach, describe, expect, inject, it} from 'vitest'
import type {ErrorDocument} from '../../src/core/errors.js'
import type {BackupResult, RestoreResult} from '../../src/services/db-backup.js'
import {LUNA} from '../helpers/api.js'
import {createTempProject, type TempProject} from '../helpers/cli.js'
import {createDatabase, freePort} from '../helpers/postgres.js'

const execFileAsync = promisify(execFile)
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

/** Authenticated writers, each POSTing characters in a loop until stopped; every answer is kept. */
function startWriters(base: string, token: string, count: number) {
  const acknowledged: string[] = []
  const statuses: number[] = []
  let refused = 0
  let running = true
  const writer = async (index: number) => {
    for (let n = 0; running; n++) {
      try {
        const response = await fetch(`${base}/api/characters`, {
          method: 'POST',
          headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
          body: JSON.stringify({name: `writer ${index} #${n}`, traits: LUNA.traits}),
        })
        statuses.push(response.status)
        const body = (await response.json()) as {id?: string}
        if (response.status === 201 && body.id) acknowledged.push(body.id)
      } catch {
        // Refused or reset while the API is stopped: not acknowledged, so nothing is owed.
        refused++
        await new Promise((resolve) => setTimeout(resolve, 5)) // pacing, not a wait for a condition
      }
    }
  }
  const done = Promise.all(Array.from({length: count}, (_unused, index) => writer(index)))
  return {
    acknowledged,
    statuses,
    refused: () => refused,
    stop: async () => {
      running = false
      await done
    },
  }
}

async function pollUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

interface Dialect {
  env: Record<string, string>
  /** Character ids in a safety copy or backup file. */
  idsInBackup(file: string): Promise<Set<string>>
  /** Character ids in the live database. */
  idsNow(): Promise<Set<string>>
}

const sqliteDialect = (): Dialect => {
  const ids = (file: string) => {
    const database = new Database(file, {readonly: true})
    try {
      return new Set((database.prepare('select id from characters').all() as Array<{id: string}>).map((row) => row.id))
    } finally {
      database.close()
    }
  }
  return {
    env: {},
    idsInBackup: async (file) => ids(file),
    idsNow: async () => ids(join(project.stateDir, 'data', 'storybook.db')),
  }
}

const postgresDialect = async (): Promise<Dialect> => {
  const {url, env} = await postgresProject()
  return {
    env,
    idsInBackup: async (file) => {
      const {stdout} = await execFileAsync(
        'pg_restore',
        ['--data-only', '--table', 'characters', '--file', '-', file],
        {
          maxBuffer: 64 * 1024 * 1024,
        },
      )
      return new Set(stdout.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])
    },
    idsNow: async () => new Set((await query<{id: string}>(url, 'select id from characters')).map((row) => row.id)),
  }
}

describe('db restore --force under live writes', () => {
  it.each([
    ['SQLite', sqliteDialect],
    ['PostgreSQL', postgresDialect],
  ])(
    'loses no acknowledged write and answers no 5xx (%s)',
    async (_name, makeDialect) => {
      // Given an API started by storybook, a user, and a backup that already holds that user
      const dialect = await makeDialect()
      const {env} = dialect
      await project.writeEnv(`SESSION_SECRET=${SECRET}\nRATE_LIMIT_MAX=1000000\nLOG_LEVEL=warn\n`)
      await project.run(['db', 'migrate'], {env})
      const port = await freePort()
      const started = await project.run(['start', 'api', '--api-port', String(port)], {env})
      expect(started.exitCode, started.stderr).toBe(0)
      const base = `http://127.0.0.1:${port}`
      try {
        const signUp = await fetch(`${base}/api/auth/register`, {
          method: 'POST',
          headers: {'content-type': 'application/json'},
          body: JSON.stringify({email: 'writer@example.test', password: 'correct horse battery', displayName: 'W'}),
        })
        expect(signUp.status).toBe(201)
        const {token} = (await signUp.json()) as {token: string}
        const backup = await project.run<BackupResult>(['db', 'backup', '--json'], {env})
        expect(backup.exitCode, backup.stderr).toBe(0)

        // When writers keep writing, and the backup is restored with --force in the middle
        const writers = startWriters(base, token, 4)
        try {
          await pollUntil('50 acknowledged writes before the restore', () => writers.acknowledged.length >= 50)
          const beforeRestore = [...writers.acknowledged]
          const restore = await project.run<RestoreResult>(
            ['db', 'restore', backup.json?.file as string, '--force', '--json'],
            {env, timeoutMs: 60_000},
          )
          expect(restore.exitCode, restore.stderr).toBe(0)
          const afterRestore = writers.acknowledged.length
          await pollUntil(
            '50 acknowledged writes after the restore',
            () => writers.acknowledged.length >= afterRestore + 50,
          )
          await writers.stop()

          // Then every acknowledged write is in the safety copy or (written after the restore) in the database,
          // and no request failed with a 5xx
          const safety = await dialect.idsInBackup(restore.json?.safetyCopy as string)
          const now = await dialect.idsNow()
          const lost = writers.acknowledged.filter((id) => !safety.has(id) && !now.has(id))
          expect(lost, `${lost.length} of ${writers.acknowledged.length} acknowledged writes lost`).toEqual([])
          const notKept = beforeRestore.filter((id) => !safety.has(id))
          expect(notKept, 'writes acknowledged before the restore began, missing from the safety copy').toEqual([])
          expect(writers.statuses.filter((status) => status >= 500)).toEqual([])
          // The API is back, on the port it ran on
          expect((await fetch(`${base}/health`)).ok).toBe(true)
        } finally {
          await writers.stop()
        }
      } finally {
        await project.run(['stop', '--timeout', '5'], {env})
      }
    },
    120_000,
  )
})

describe('db backup', () => {
  const backupNames = async () =>
    (await readdir(join(project.stateDir, 'backups'))).filter((name) => name.startsWith('storybook-')).sort()

  it('does not count an empty file left by an interrupted backup as one of the --keep', async () => {
    // Given two backups, and the empty file an interrupted backup left, newer than both
    await project.run(['db', 'migrate'])
    const first = await project.run<BackupResult>(['db', 'backup', '--json'])
    const second = await project.run<BackupResult>(['db', 'backup', '--json'])
    const leftover = join(project.stateDir, 'backups', 'storybook-20991231-235959.db')
    await writeFile(leftover, '')

    // When a third is taken, keeping two
    const third = await project.run<BackupResult>(['db', 'backup', '--keep', '2', '--json'])

    // Then the two newest real backups are kept, and only the oldest real one is removed
    expect(third.exitCode, third.stderr).toBe(0)
    expect(third.json?.removed).toEqual([first.json?.file])
    const names = await backupNames()
    for (const kept of [second.json?.file, third.json?.file]) expect(names).toContain(kept?.split('/').at(-1))
    expect(names).not.toContain(first.json?.file.split('/').at(-1))
  })

  it('lets five backups with --keep 1 run at once, leaving exactly one whole backup', async () => {
    await project.run(['db', 'migrate'])
    await project.run(['db', 'seed'])
    const runs = await Promise.all(
      [1, 2, 3, 4, 5].map(() => project.run<BackupResult>(['db', 'backup', '--keep', '1', '--json'])),
    )
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0)
    const names = await backupNames()
    expect(names).toHaveLength(1)
    expect((await readdir(join(project.stateDir, 'backups'))).filter((name) => name.includes('partial'))).toEqual([])
    expect((await stat(join(project.stateDir, 'backups', names[0] as string))).size).toBeGreaterThan(0)
  })

  it('creates the database and its backups readable by their owner only', async () => {
    await project.run(['db', 'migrate'])
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'])
    const mode = async (path: string) => (await stat(path)).mode & 0o777
    expect(await mode(join(project.stateDir, 'data', 'storybook.db'))).toBe(0o600)
    expect(await mode(join(project.stateDir, 'backups'))).toBe(0o700)
    expect(await mode(backup.json?.file as string)).toBe(0o600)
    const restored = await project.run<RestoreResult>(['db', 'restore', backup.json?.file as string, '--json'])
    expect(await mode(restored.json?.safetyCopy as string)).toBe(0o600)
    expect(await mode(join(project.stateDir, 'data', 'storybook.db'))).toBe(0o600)
  })

  it('creates PostgreSQL dumps readable by their owner only', async () => {
    const {env} = await postgresProject()
    await project.run(['db', 'migrate'], {env})
    const backup = await project.run<BackupResult>(['db', 'backup', '--json'], {env})
    expect((await stat(backup.json?.file as string)).mode & 0o777).toBe(0o600)
    expect((await stat(join(project.stateDir, 'backups'))).mode & 0o777).toBe(0o700)
  })
})

describe('db restore and schema versions', () => {
  it('names the migrations pending after restoring an older backup, and refuses a newer one (SQLite)', async () => {
    // Given a backup at 0003, one with a migration this code does not know, and a database at the latest
    await project.run(['db', 'migrate', '--to', '0003'])
    const older = await project.run<BackupResult>(['db', 'backup', '--json'])
    await project.run(['db', 'migrate'])
    const database = new Database(join(project.stateDir, 'data', 'storybook.db'))
    database.exec("insert into storybook_migrations (name, checksum, applied_at) values ('0099_future', 'x', 'now')")
    database.close()
    const newer = await project.run<BackupResult>(['db', 'backup', '--json'])

    // When the newer one is restored, then it is refused and nothing changes
    const refused = await project.run<ErrorDocument>(['db', 'restore', newer.json?.file as string, '--json'])
    expect(refused.exitCode).toBe(2)
    expect(refused.json?.error.message).toContain('0099_future')

    // When the older one is restored, then the pending migrations are named, with the next step
    const restored = await project.run<RestoreResult>(['db', 'restore', older.json?.file as string, '--json'])
    expect(restored.exitCode, restored.stderr).toBe(0)
    expect(restored.json?.pending).toEqual(['0004_create_illustrations', '0005_create_generation_jobs'])
    const text = await project.run(['db', 'restore', older.json?.file as string])
    expect(text.stdout).toContain('2 migrations behind')
    expect(text.stdout).toContain('storybook db migrate')
  })

  it('names the migrations pending after restoring an older dump, and refuses a newer one (PostgreSQL)', async () => {
    const {url, env} = await postgresProject()
    await project.run(['db', 'migrate', '--to', '0004'], {env})
    const older = await project.run<BackupResult>(['db', 'backup', '--json'], {env})
    await project.run(['db', 'migrate'], {env})
    await query(url, "insert into storybook_migrations (name, checksum, applied_at) values ('0099_future', 'x', 'now')")
    const newer = await project.run<BackupResult>(['db', 'backup', '--json'], {env})
    await query(url, "delete from storybook_migrations where name = '0099_future'")

    const refused = await project.run<ErrorDocument>(['db', 'restore', newer.json?.file as string, '--json'], {env})
    expect(refused.exitCode).toBe(2)
    expect(refused.json?.error.message).toContain('0099_future')
    expect(await query(url, 'select count(*)::int as n from storybook_migrations')).toEqual([{n: 5}])

    const restored = await project.run<RestoreResult>(['db', 'restore', older.json?.file as string, '--json'], {env})
    expect(restored.exitCode, restored.stderr).toBe(0)
    expect(restored.json?.pending).toEqual(['0005_create_generation_jobs'])
    expect(await query(url, 'select count(*)::int as n from storybook_migrations')).toEqual([{n: 4}])
  })
})
