// integrate-migrations run as the built CLI on SQLite and PostgreSQL: migrations that change no
// schema (data, the empty `db new` template, a drop of something no migration made) are never
// counted as present, column types and defaults are compared, and --baseline stamps up to a
// named migration. The migrations beyond the five of the project live in a copy of the toolkit,
// added with `db new` and built there, as a developer would add them.
import {spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {cp, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it} from 'vitest'
import {VARIABLES} from '../../src/core/config/schema.js'
import type {IntegrationPlan} from '../../src/core/db/baseline.js'
import type {MigrateResult} from '../../src/core/db/migrator.js'
import type {ErrorDocument} from '../../src/core/errors.js'
import type {DbStatusResult} from '../../src/services/db.js'
import {createTempProject, REPO_ROOT, runCli, type CliResult, type TempProject} from '../helpers/cli.js'
import {createDatabase} from '../helpers/postgres.js'

const SECRET = 'integration-test-secret-'.repeat(2)
const PROJECT_MIGRATIONS = [
  '0001_create_users_and_sessions',
  '0002_create_characters',
  '0003_create_stories_and_pages',
  '0004_create_illustrations',
  '0005_create_generation_jobs',
]

/** The migrations added to the copy: `db new` writes each (0009 keeps its template), then its body replaces the template's. */
const ADDED: Array<{slug: string; up?: string; down?: string}> = [
  {
    slug: 'create_settings',
    up: `await db.schema.createTable('settings').addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull().defaultTo('')).execute()`,
    down: `await db.schema.dropTable('settings').execute()`,
  },
  {
    slug: 'insert_default_settings',
    up: `await db.insertInto('settings').values({key: 'theme', value: 'light'}).execute()`,
    down: `await db.deleteFrom('settings').where('key', '=', 'theme').execute()`,
  },
  {
    slug: 'add_settings_note',
    up: `await db.schema.alterTable('settings').addColumn('note', 'text').execute()`,
    down: `await db.schema.alterTable('settings').dropColumn('note').execute()`,
  },
  {slug: 'empty_template'},
  {slug: 'drop_legacy_notes', up: `await db.schema.dropTable('legacy_notes').ifExists().execute()`, down: ''},
]
const ALL = [
  ...PROJECT_MIGRATIONS,
  ...ADDED.map((added, index) => `${String(index + 6).padStart(4, '0')}_${added.slug}`),
]

let toolkit: string

beforeAll(async () => {
  toolkit = await mkdtemp(join(tmpdir(), 'storybook-toolkit-migrations-'))
  for (const entry of ['bin', 'scripts', 'src', 'migrations', 'package.json', 'tsconfig.json']) {
    await cp(join(REPO_ROOT, entry), join(toolkit, entry), {recursive: true})
  }
  await symlink(join(REPO_ROOT, 'node_modules'), join(toolkit, 'node_modules'))
  for (const added of ADDED) {
    const created = await runCli<{file: string}>(['db', 'new', added.slug, '--json'], {
      cwd: toolkit,
      env: {STORYBOOK_ROOT: toolkit},
    })
    expect(created.exitCode, created.stderr).toBe(0)
    if (added.up === undefined) continue
    await writeFile(
      created.json?.file as string,
      `import type {Kysely} from 'kysely'\n` +
        `export async function up(db: Kysely<any>): Promise<void> {\n  ${added.up}\n}\n` +
        `export async function down(db: Kysely<any>): Promise<void> {\n  ${added.down ?? ''}\n}\n`,
    )
  }
  // Only the CLI bundle and its manifest: what the commands run here need (no API server, no web app)
  const script = JSON.stringify(join(toolkit, 'scripts', 'build.js'))
  const build = `const b = await import(${script}); await b.buildBundle(); await b.writeManifest()`
  const built = await runNode(['--input-type=module', '-e', build], {cwd: toolkit, env: {}})
  expect(built.exitCode, built.stderr).toBe(0)
}, 120_000)

afterAll(async () => {
  await rm(toolkit, {recursive: true, force: true})
})

/** Variables of ours that would leak from the test runner into the child. */
const SCRUBBED = [...VARIABLES.map((variable) => variable.key), 'NO_COLOR', 'FORCE_COLOR', 'DEBUG', 'CI', 'TERM']

function runNode(args: string[], options: {cwd: string; env: Record<string, string>}): Promise<CliResult> {
  const env: Record<string, string | undefined> = {...process.env}
  for (const key of SCRUBBED) delete env[key]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {cwd: options.cwd, env: {...env, ...options.env}})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (exitCode) => {
      let json: unknown
      try {
        json = stdout.trimStart().startsWith('{') ? JSON.parse(stdout) : undefined
      } catch {
        json = undefined
      }
      resolve({stdout, stderr, exitCode, json})
    })
    child.stdin.end()
  })
}

let project: TempProject
beforeEach(async () => {
  project = await createTempProject()
  await project.writeEnv(`SESSION_SECRET=${SECRET}\n`)
})
afterEach(async () => {
  await project.cleanup()
})

interface Target {
  env: Record<string, string>
  /** Runs statements on the database directly, as a person with a SQL shell would. */
  exec(statements: string): Promise<void>
  query<T>(statement: string): Promise<T[]>
}

async function sqliteTarget(): Promise<Target> {
  const file = join(project.stateDir, 'data', 'storybook.db')
  const open = () => new Database(file)
  return {
    env: {},
    exec: async (statements) => {
      const database = open()
      database.pragma('foreign_keys = off')
      database.exec(statements)
      database.close()
    },
    query: async <T>(statement: string) => {
      const database = open()
      const rows = database.prepare(statement).all() as T[]
      database.close()
      return rows
    },
  }
}

async function postgresTarget(): Promise<Target> {
  const url = await createDatabase(inject('postgresUrl'), `adopt_${randomUUID().replaceAll('-', '')}`)
  const {default: pg} = await import('pg')
  const withClient = async <T>(work: (client: InstanceType<typeof pg.Client>) => Promise<T>) => {
    const client = new pg.Client({connectionString: url})
    await client.connect()
    try {
      return await work(client)
    } finally {
      await client.end()
    }
  }
  return {
    env: {DATABASE_URL: url},
    exec: (statements) => withClient(async (client) => void (await client.query(statements))),
    query: <T>(statement: string) => withClient(async (client) => (await client.query(statement)).rows as T[]),
  }
}

const DIALECTS = [
  {dialect: 'sqlite', target: sqliteTarget},
  {dialect: 'postgres', target: postgresTarget},
] as const

/** The copy of the toolkit with the ten migrations, run against the test's project. */
function copyCli<T = unknown>(args: string[], env: Record<string, string>): Promise<CliResult<T>> {
  return runNode([join(toolkit, 'bin', 'run.js'), ...args], {
    cwd: project.root,
    env: {STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir, ...env},
  }) as Promise<CliResult<T>>
}

/** A database migrated to `to` whose record of migrations was then lost. */
async function untrackedAt(target: Target, to: string): Promise<void> {
  const migrated = await copyCli(['db', 'migrate', '--to', to], target.env)
  expect(migrated.exitCode, migrated.stderr).toBe(0)
  await target.exec('drop table storybook_migrations')
}

describe.each(DIALECTS)('integrate-migrations on $dialect', ({target: makeTarget}) => {
  it('adopts a database with every schema migration there and leaves the data migration after them to db migrate', async () => {
    const target = await makeTarget()
    await untrackedAt(target, '0006')

    const plan = await copyCli<IntegrationPlan>(['integrate-migrations', '--yes', '--json'], target.env)

    expect(plan.exitCode, plan.stderr).toBe(0)
    expect(plan.json).toMatchObject({stamp: ALL.slice(0, 6), pending: ALL.slice(6), stamped: true, refusal: null})
    const statuses = Object.fromEntries((plan.json?.migrations ?? []).map((entry) => [entry.name, entry.status]))
    expect(statuses).toMatchObject({
      '0006_create_settings': 'present',
      '0007_insert_default_settings': 'unverifiable',
      '0008_add_settings_note': 'absent',
      '0009_empty_template': 'unverifiable',
      '0010_drop_legacy_notes': 'unverifiable',
    })
    const migrated = await copyCli<MigrateResult>(['db', 'migrate', '--json'], target.env)
    expect(migrated.exitCode, migrated.stderr).toBe(0)
    expect(migrated.json?.applied.map((entry) => entry.name)).toEqual(ALL.slice(6))
    expect(await target.query('select key, value from settings')).toEqual([{key: 'theme', value: 'light'}])
  })

  it('refuses when a data migration sits between present schema migrations, naming it and the --baseline to give', async () => {
    const target = await makeTarget()
    await untrackedAt(target, '0008')

    const refused = await copyCli<ErrorDocument>(['integrate-migrations', '--yes', '--json'], target.env)

    expect(refused.exitCode).toBe(5)
    expect(refused.json?.error.code).toBe('CONFLICT')
    expect(refused.json?.error.message).toContain('0007_insert_default_settings changes no schema')
    expect(refused.json?.error.next?.[0]).toContain('storybook integrate-migrations --baseline 0008_add_settings_note')
    const text = await copyCli(['integrate-migrations'], target.env)
    expect(text.stderr).toMatch(/unverifiable\s+0007_insert_default_settings/)
    const status = await copyCli<DbStatusResult>(['db', 'status', '--json'], target.env)
    expect(status.json?.tracked).toBe(false)
  })

  it('stamps up to --baseline without comparing: a dry run first, then --yes, then db migrate applies the rest', async () => {
    const target = await makeTarget()
    await untrackedAt(target, '0008')

    const dry = await copyCli(['integrate-migrations', '--baseline', '0008_add_settings_note'], target.env)
    expect(dry.exitCode, dry.stderr).toBe(0)
    expect(dry.stdout).toContain(
      `Would record ${ALL.slice(0, 8).join(', ')} as applied without running or checking them; ` +
        `${ALL.slice(8).join(', ')} would stay pending.`,
    )
    expect(dry.stdout).toContain('Run again with --yes to write it.')
    expect((await copyCli<DbStatusResult>(['db', 'status', '--json'], target.env)).json?.tracked).toBe(false)

    const stamped = await copyCli<IntegrationPlan>(
      ['integrate-migrations', '--baseline', '0008', '--yes', '--json'],
      target.env,
    )
    expect(stamped.exitCode, stamped.stderr).toBe(0)
    expect(stamped.json).toEqual({
      dialect: expect.any(String),
      target: expect.any(String),
      alreadyTracked: false,
      baseline: '0008_add_settings_note',
      migrations: [],
      stamp: ALL.slice(0, 8),
      pending: ALL.slice(8),
      refusal: null,
      baselineCandidate: null,
      unexplained: [],
      stamped: true,
    })
    const migrated = await copyCli<MigrateResult>(['db', 'migrate', '--json'], target.env)
    expect(migrated.json?.applied.map((entry) => entry.name)).toEqual(ALL.slice(8))
    expect((await copyCli<DbStatusResult>(['db', 'status', '--json'], target.env)).json).toMatchObject({
      tracked: true,
      pending: 0,
      drift: [],
    })
    // 0007's row was inserted once, by the first migrate, and not again
    expect(await target.query('select key from settings')).toEqual([{key: 'theme'}])

    const again = await copyCli<ErrorDocument>(
      ['integrate-migrations', '--baseline', '0008', '--yes', '--json'],
      target.env,
    )
    expect(again.exitCode).toBe(5)
    expect(again.json?.error.message).toContain('already records applied migrations')
  })

  it('answers an unknown --baseline with the closest names and writes nothing', async () => {
    const target = await makeTarget()
    await untrackedAt(target, '0008')

    const result = await copyCli<ErrorDocument>(
      ['integrate-migrations', '--baseline', '0008_add_setting_notes', '--yes', '--json'],
      target.env,
    )

    expect(result.exitCode).toBe(4)
    expect(result.json?.error.code).toBe('NOT_FOUND')
    expect(result.json?.error.details?.closest).toEqual(expect.arrayContaining(['0008_add_settings_note']))
    expect((result.json?.error.details?.closest as string[])[0]).toBe('0008_add_settings_note')
    expect(result.json?.error.next?.[0]).toMatch(/storybook integrate-migrations --baseline 0008_add_settings_note$/)
    expect((await copyCli<DbStatusResult>(['db', 'status', '--json'], target.env)).json?.tracked).toBe(false)
  })

  it('reports a column with another type or default as partial, with both values, and refuses', async () => {
    const target = await makeTarget()
    const migrated = await project.run(['db', 'migrate'], {env: target.env})
    expect(migrated.exitCode, migrated.stderr).toBe(0)
    await target.exec('drop table storybook_migrations')
    await changePagesColumns(target, target.env.DATABASE_URL === undefined)

    const refused = await project.run<ErrorDocument>(['integrate-migrations', '--yes', '--json'], {env: target.env})

    expect(refused.exitCode).toBe(5)
    expect(refused.json?.error.message).toContain('pages.position: type integer expected, text found')
    const migrations = refused.json?.error.details?.migrations as IntegrationPlan['migrations']
    expect(migrations.find((entry) => entry.name === '0003_create_stories_and_pages')).toEqual({
      name: '0003_create_stories_and_pages',
      status: 'partial',
      missing: [],
      mismatched: [
        'pages.position: type integer expected, text found',
        "pages.text: default '' expected, 'blank' found",
      ],
    })
    const text = await project.run(['integrate-migrations'], {env: target.env})
    expect(text.stderr).toMatch(/partial\s+0003_create_stories_and_pages/)
    expect(text.stderr).toContain('differs pages.position: type integer expected, text found')
    expect((await project.run<DbStatusResult>(['db', 'status', '--json'], {env: target.env})).json?.tracked).toBe(false)
  })
})

/** pages.position becomes text and pages.text defaults to 'blank': a legacy schema that drifted by hand. */
async function changePagesColumns(target: Target, sqlite: boolean): Promise<void> {
  if (!sqlite) {
    await target.exec(`alter table pages alter column position type text;
      alter table pages alter column text set default 'blank'`)
    return
  }
  // SQLite cannot alter a column: rebuild the (empty) table from its own definition, edited
  const [create] = await target.query<{sql: string}>(`select sql from sqlite_master where name = 'pages'`)
  const edited = (create?.sql ?? '')
    .replace('"position" integer', '"position" text')
    .replace("default ''", "default 'blank'")
  expect(edited).toContain("default 'blank'")
  await target.exec(`drop index pages_story_position_idx; drop table pages; ${edited};
    create index pages_story_position_idx on pages (story_id, position)`)
}

describe('integrate-migrations --baseline at a terminal', () => {
  it('shows what it will record and asks before writing', async () => {
    const target = await sqliteTarget()
    await untrackedAt(target, '0008')
    const command = [process.execPath, join(toolkit, 'bin', 'run.js'), 'integrate-migrations', '--baseline', '0008']
    const env: Record<string, string | undefined> = {...process.env}
    for (const key of SCRUBBED) delete env[key]
    // script(1) gives the CLI a terminal, as a person at a shell has
    const child = spawn('script', ['-qec', command.map((part) => `'${part}'`).join(' '), '/dev/null'], {
      cwd: project.root,
      env: {...env, TERM: 'xterm', NO_COLOR: '1', STORYBOOK_ROOT: project.root, STORYBOOK_STATE_DIR: project.stateDir},
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve))
    await until('the confirmation prompt', () => output.includes('Record them as applied?'))
    expect(output).toContain(`Would record ${ALL.slice(0, 8).join(', ')} as applied without running or checking them`)
    child.stdin.write('y\r')
    expect(await closed).toBe(0)
    expect(output).toContain('Recorded 8 migrations as applied.')
    expect((await copyCli<DbStatusResult>(['db', 'status', '--json'], target.env)).json).toMatchObject({
      tracked: true,
      pending: 2,
    })
  })
})

async function until(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
