// The commands that replace or rewrite the whole database (rollback, reset, restore) through the
// built CLI: one guard while the API serves (refused alike, or --force: stopped, run, started again),
// and db reset's question, answered No (a clean cancel) or with Ctrl-C (an interruption).
import {spawn, type ChildProcess} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import {afterEach, beforeEach, describe, expect, inject, it} from 'vitest'
import {VARIABLES} from '../../src/core/config/schema.js'
import type {ErrorDocument} from '../../src/core/errors.js'
import {shellQuote} from '../../src/core/text/shell-quote.js'
import type {BackupResult} from '../../src/services/db-backup.js'
import type {StartedService} from '../../src/services/start-services.js'
import {CLI, createTempProject, type TempProject} from '../helpers/cli.js'
import {createDatabase, freePort} from '../helpers/postgres.js'

const SECRET = 'integration-test-secret-'.repeat(2)

let project: TempProject
let foreground: ChildProcess | undefined
beforeEach(async () => {
  project = await createTempProject()
  await project.writeEnv(`SESSION_SECRET=${SECRET}\n`)
})
afterEach(async () => {
  // Only the foreground API this test started, by its PID.
  if (foreground?.pid && foreground.exitCode === null) foreground.kill('SIGKILL')
  foreground = undefined
  await project.cleanup()
})

async function pollUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const answers = (url: string) =>
  fetch(url).then(
    (response) => response.ok,
    () => false,
  )

interface Dialect {
  env: Record<string, string>
  /** How many users and applied migrations the database holds. */
  counts(): Promise<{users: number; migrations: number}>
}

const sqlite = async (): Promise<Dialect> => ({
  env: {},
  counts: async () => {
    const database = new Database(join(project.stateDir, 'data', 'storybook.db'), {readonly: true})
    try {
      const count = (table: string) => (database.prepare(`select count(*) as n from ${table}`).get() as {n: number}).n
      return {users: count('users'), migrations: count('storybook_migrations')}
    } finally {
      database.close()
    }
  },
})

const postgres = async (): Promise<Dialect> => {
  const url = await createDatabase(inject('postgresUrl'), `guards_${randomUUID().replaceAll('-', '')}`)
  return {
    env: {DATABASE_URL: url},
    counts: async () => {
      const client = new pg.Client({connectionString: url})
      await client.connect()
      try {
        const count = async (table: string) =>
          ((await client.query(`select count(*)::int as n from ${table}`)).rows[0] as {n: number}).n
        return {users: await count('users'), migrations: await count('storybook_migrations')}
      } finally {
        await client.end()
      }
    },
  }
}

/** A seeded database, a backup of it, and an API started by storybook on a port of its own. */
async function seededWithApi(dialect: Dialect): Promise<{port: number; backup: string}> {
  const {env} = dialect
  expect((await project.run(['db', 'migrate'], {env})).exitCode).toBe(0)
  expect((await project.run(['db', 'seed'], {env})).exitCode).toBe(0)
  const backup = await project.run<BackupResult>(['db', 'backup', '--json'], {env})
  const port = await freePort()
  const started = await project.run(['start', 'api', '--api-port', String(port)], {env})
  expect(started.exitCode, started.stderr).toBe(0)
  return {port, backup: backup.json?.file as string}
}

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('destructive db commands while the API serves (%s)', (_name, makeDialect) => {
  it('refuses rollback, reset and restore alike, naming the API and storybook stop api', async () => {
    // Given a seeded database and an API serving it
    const dialect = await makeDialect()
    const {env} = dialect
    const {port, backup} = await seededWithApi(dialect)
    try {
      const before = await dialect.counts()

      // When each destructive command runs without --force
      const commands: Array<[string, string[]]> = [
        ['roll back', ['db', 'rollback']],
        ['reset', ['db', 'reset', '--yes']],
        ['restore', ['db', 'restore', backup]],
      ]
      for (const [action, args] of commands) {
        const refused = await project.run<ErrorDocument>([...args, '--json'], {env})

        // Then each is refused the same way, and the database is as it was
        expect(refused.exitCode, `${args.join(' ')}: ${refused.stdout}`).toBe(5)
        expect(refused.json?.error.code).toBe('CONFLICT')
        expect(refused.json?.error.message).toMatch(
          new RegExp(`^Refusing to ${action} while api \\(PID \\d+, port ${port}\\) is running\\.$`),
        )
        expect(refused.json?.error.next?.[0]).toMatch(/storybook stop api$/)
        expect(refused.json?.error.next?.at(-1)).toMatch(new RegExp(`storybook ${args.join(' ')}.* --force$`))
        expect(await dialect.counts()).toEqual(before)
      }
      expect(await answers(`http://127.0.0.1:${port}/health`)).toBe(true)
    } finally {
      await project.run(['stop', '--timeout', '5'], {env})
    }
  }, 60_000)

  it('with --force stops the API, resets or rolls back, and starts it again on its port', async () => {
    const dialect = await makeDialect()
    const {env} = dialect
    const {port} = await seededWithApi(dialect)
    const api = `http://127.0.0.1:${port}`
    try {
      // When reset runs with --force, then the API was stopped for it and serves again on its port
      const reset = await project.run<{cancelled: boolean; restarted: StartedService[]}>(
        ['db', 'reset', '--yes', '--force', '--json'],
        {env, timeoutMs: 60_000},
      )
      expect(reset.exitCode, reset.stderr).toBe(0)
      expect(reset.json?.restarted.map((service) => [service.name, service.port])).toEqual([['api', port]])
      expect(await dialect.counts()).toEqual({users: 0, migrations: 5})
      expect(await answers(`${api}/ready`)).toBe(true)

      // When rollback runs with --force, then likewise, and the API says it is not ready (a migration pending)
      const rolledBack = await project.run<{rolledBack: unknown[]; restarted: StartedService[]}>(
        ['db', 'rollback', '--force', '--json'],
        {env, timeoutMs: 60_000},
      )
      expect(rolledBack.exitCode, rolledBack.stderr).toBe(0)
      expect(rolledBack.json?.rolledBack).toHaveLength(1)
      expect(rolledBack.json?.restarted.map((service) => [service.name, service.port])).toEqual([['api', port]])
      expect((await dialect.counts()).migrations).toBe(4)
      expect(await answers(`${api}/health`)).toBe(true)
      expect((await fetch(`${api}/ready`)).status).toBe(503)
    } finally {
      await project.run(['stop', '--timeout', '5'], {env})
    }
  }, 90_000)
})

describe('destructive db commands and an API in a terminal of its own', () => {
  it('refuses --force for an API in unified mode, saying to stop it there and how to start it again', async () => {
    // Given an API running in the foreground (unified mode), as a terminal would run it
    expect((await project.run(['db', 'migrate'])).exitCode).toBe(0)
    const port = await freePort()
    foreground = spawn(process.execPath, [CLI, 'start', 'api', '--unified-mode', '--api-port', String(port)], {
      cwd: project.root,
      env: cliEnv(),
      stdio: 'ignore',
    })
    await pollUntil('the unified-mode API to answer /health', () => answers(`http://127.0.0.1:${port}/health`))

    // When rollback runs with --force
    const refused = await project.run<ErrorDocument>(['db', 'rollback', '--force', '--json'])

    // Then it is refused, the database untouched, the API still serving
    expect(refused.exitCode).toBe(5)
    expect(refused.json?.error.message).toContain('runs in unified mode')
    expect(refused.json?.error.next?.[0]).toContain('press Ctrl-C in that terminal')
    expect(refused.json?.error.next?.at(-1)).toMatch(/storybook start api --unified-mode$/)
    expect(await (await sqlite()).counts()).toEqual({users: 0, migrations: 5})
    expect(await answers(`http://127.0.0.1:${port}/health`)).toBe(true)
  }, 60_000)
})

/** The environment the CLI runs in: this project, none of the runner's own settings. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...process.env}
  for (const key of [...VARIABLES.map((variable) => variable.key), 'CI', 'NO_COLOR', 'FORCE_COLOR', 'DEBUG'])
    delete env[key]
  return {...env, STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir, ...extra}
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), so that it asks its question; `reply`
 * is typed once the question shows. Resolves to what the terminal showed and the exit code.
 */
function runInTerminal(args: string[], reply: string): Promise<{output: string; exitCode: number | null}> {
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(' ')
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: project.root,
    env: cliEnv({TERM: 'xterm'}),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  let replied = false
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`storybook ${args.join(' ')} on a terminal did not finish in 20 s; it showed:\n${output}`))
    }, 20_000)
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
      if (!replied && output.includes('(y/N)')) {
        replied = true
        child.stdin.write(reply)
      }
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', reject)
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolve({output, exitCode})
    })
  })
}

describe("db reset's question on a terminal", () => {
  it('answered No, changes nothing, says so, and exits 0', async () => {
    expect((await project.run(['db', 'migrate'])).exitCode).toBe(0)
    expect((await project.run(['db', 'seed'])).exitCode).toBe(0)

    const answered = await runInTerminal(['db', 'reset'], 'n\r')

    expect(answered.exitCode, answered.output).toBe(0)
    expect(answered.output).toContain('Nothing changed.')
    expect(answered.output).not.toContain('INTERRUPTED')
    expect(await (await sqlite()).counts()).toEqual({users: 1, migrations: 5})
  })

  it('interrupted with Ctrl-C, changes nothing and exits 130', async () => {
    expect((await project.run(['db', 'migrate'])).exitCode).toBe(0)
    expect((await project.run(['db', 'seed'])).exitCode).toBe(0)

    const interrupted = await runInTerminal(['db', 'reset'], '\x03')

    expect(interrupted.exitCode, interrupted.output).toBe(130)
    expect(interrupted.output).toContain('INTERRUPTED')
    expect(await (await sqlite()).counts()).toEqual({users: 1, migrations: 5})
  })
})
